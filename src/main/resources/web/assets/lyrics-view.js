// The listener page's lyrics: the synced lines as a list whose current group (the lines sharing a time stamp: an
// original and its translation, say) is highlighted on the audio clock, the same group under the title on a phone,
// or the plain text when the lyrics carry no times. The page says where in the track the heard audio is; this
// module highlights accordingly and times the next change itself.
import { groupAt, lineAt, parseLrc } from './lyrics.js';

// A frame's change shows at the next paint, 0-17 ms after this frame's moment at 60 Hz: looking half a frame ahead
// centres the highlight's error on zero instead of lagging it by half a frame on average.
export const LYRIC_LOOKAHEAD_SECONDS = 0.008;
// The next line change is also timed on its own (a timer at its moment on the audio clock), not left to the next
// frame: a loaded machine may draw no frame for 50 ms and more (requestAnimationFrame runs only when the browser
// draws, and a browser busy opening another tab sends its pages no frames), and the highlight would wait for it. A
// change this close gets its timer at once; one further away first gets a timer that wakes the page a little before
// it, which then times the change from the position heard then (the player may have nudged the audio meanwhile).
const TIMER_HORIZON_SECONDS = 0.25;

export class LyricsView {
  /**
   * @param elements {list, plain, none, currentLine}: the synced list, the plain text, "no lyrics", the phone's line
   * @param onDue    called when a timed line change is due (the page renders, reading the heard position again)
   */
  constructor(elements, onDue) {
    this.view = elements;
    this.onDue = onDue;
    this.text = undefined;
    this.lines = [];
    this.line = -1;             // line..last: the highlighted group
    this.last = -1;
    this.timer = null;
    this.timed = null;          // the line and position the last timer was set for
  }

  /** The texts of the highlighted group (empty before the first line). */
  get currentTexts() {
    return this.lines.slice(this.line, this.last + 1).map((line) => line.text);
  }

  /** New lyrics (or the same after a track change): LRC when synced, else shown as plain text. */
  show(text, synced) {
    this.text = text;
    this.lines = synced ? parseLrc(text) : [];
    this.line = -1;
    this.last = -1;
    this.view.list.replaceChildren(...this.lines.map((line) => {
      const item = document.createElement('li');
      item.textContent = line.text || '♪';
      return item;
    }));
    const plain = !!text && this.lines.length === 0;
    this.view.list.hidden = this.lines.length === 0;
    this.view.plain.hidden = !plain;
    this.view.plain.textContent = plain ? text.replace(/\[\d{1,3}:\d{1,2}(?:[.:]\d{1,3})?\]/g, '') : '';
    this.view.none.hidden = !!text;
  }

  /** Whether a timed change is pending (the page then need not look again until it comes). */
  get timing() {
    return this.timer !== null;
  }

  /**
   * Highlights the group at {@code position} (seconds into the track). While audio is heard, the position is that
   * of the sample leaving the speakers now, looked a touch ahead for the paint, and the next change gets a timer.
   */
  follow(position, audible) {
    // Looked ahead also while nothing is heard: when the audio runs dry a few ms before a line's moment, the line
    // already painted for it stays, rather than flipping back to the one before for the whole stall.
    const at = position + LYRIC_LOOKAHEAD_SECONDS;
    this.#highlight(groupAt(this.lines, at));
    if (audible) this.#timeNextLine(at);
  }

  #timeNextLine(at) {
    if (this.timer !== null) return;
    const index = lineAt(this.lines, at) + 1;
    const next = this.lines[index];
    if (!next) return;
    // A position that stands still (the sender paused the track while audio plays) gets no second timer: the
    // frames see to it.
    if (index === this.timed?.index && at <= this.timed.at) return;
    this.timed = { index, at };
    const ahead = next.time - at;
    const wait = ahead > TIMER_HORIZON_SECONDS ? ahead - TIMER_HORIZON_SECONDS / 2 : ahead;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.onDue();
    }, Math.max(1, wait * 1000));
  }

  #highlight(group) {
    const first = group?.first ?? -1;
    const last = group?.last ?? -1;
    if (first === this.line && last === this.last) return;
    const items = this.view.list.children;
    for (let i = Math.max(0, this.line); i <= this.last; i++) {
      items[i]?.classList.remove('current');
      items[i]?.removeAttribute('aria-current');
    }
    this.line = first;
    this.last = last;
    this.view.currentLine.textContent = '';
    if (!group) return;
    for (let i = first; i <= last; i++) {
      items[i].classList.add('current');
      items[i].setAttribute('aria-current', 'true');
    }
    // On a phone the group is also shown under the title, above the fold.
    this.view.currentLine.textContent = this.lines.slice(first, last + 1).map((line) => line.text || '♪').join(' / ');
    // Scroll the lyrics box only (scrollIntoView would also scroll the page under a reader's thumb), to the group's
    // middle.
    const middle = (items[first].offsetTop + items[last].offsetTop + items[last].offsetHeight) / 2;
    this.view.list.scrollTo({ top: middle - this.view.list.clientHeight / 2, behavior: 'smooth' });
  }
}
