// The listener page's elements: what the controller (listen.js) knows, put on the page. The player's view is
// redrawn every frame the browser draws (lyrics and progress follow the audio clock), so every write here goes to
// the document only when the text or attribute actually changes: a write of the same text still makes the browser
// lay out and paint again, and at 60 frames a second that was most of the page's work (three pages share two cores
// in the tests, and the lyric highlight waits for the main thread).
import { formatClock } from './now-playing.js';
import { showOnLockScreen } from './media-session.js';

const LIVE_TEXT_EVERY_MS = 250;

const STATE_TEXT = {
  connecting: 'Connecting…', waiting: 'Waiting for the sender…', ready: 'Live — press Listen',
  buffering: 'Buffering…', playing: 'Playing', reconnecting: 'Connection lost — reconnecting…',
  ended: 'Session ended', 'not-found': 'Session not found', denied: 'Access denied', invalid: 'Invalid code',
};

const $ = (id) => document.getElementById(id);

export class PlayerView {
  constructor() {
    this.el = {
      sessionId: $('session-id'), listeners: $('listeners'), state: $('state'), title: $('title'), artist: $('artist'),
      cover: $('cover'), coverPlaceholder: $('cover-placeholder'), progress: $('progress'),
      progressFill: $('progress-fill'), elapsed: $('elapsed'), total: $('total'), listen: $('listen'),
      volume: $('volume'), lyrics: $('lyrics'), plainLyrics: $('plain-lyrics'), noLyrics: $('no-lyrics'),
      notice: $('notice'), noticeTitle: $('notice-title'), noticeText: $('notice-text'), noticeHome: $('notice-home'),
      tokenForm: $('token-form'), token: $('token'), player: $('player'), live: $('live'), liveText: $('live-text'),
      note: $('note'), currentLine: $('current-line'), reception: $('reception'), nameForm: $('name-form'),
      lyricsSection: document.querySelector('section.lyrics'),
    };
    this.written = new WeakMap(); // element -> {text, attributes}: what this view last wrote there
    this.liveAt = -Infinity;
    this.rejoins = 0;
  }

  /** Sets an element's text, touching the document only when it differs from what was written last. */
  text(element, text) {
    const written = this.#written(element);
    if (written.text === text) return;
    written.text = text;
    element.textContent = text;
  }

  attribute(element, name, value) {
    const written = this.#written(element);
    if (written[name] === value) return;
    written[name] = value;
    element.setAttribute(name, value);
  }

  hidden(element, hidden) {
    if (element.hidden !== hidden) element.hidden = hidden;
  }

  showState(state) {
    if (this.el.state.dataset.state !== state) this.el.state.dataset.state = state;
    this.text(this.el.state, STATE_TEXT[state] ?? state);
  }

  /**
   * Where in the track the heard audio is. A stream without a known length (totalSeconds 0) has no progress bar to
   * fill: the track is hidden and the length reads "live" while the session is, nothing after.
   */
  showProgress(position, total, live) {
    const el = this.el;
    this.text(el.elapsed, formatClock(position));
    this.text(el.total, total > 0 ? formatClock(total) : live ? 'live' : '');
    this.hidden(el.progress, !(total > 0));
    if (!(total > 0)) return;
    this.attribute(el.progress, 'aria-valuemax', String(Math.round(total)));
    this.attribute(el.progress, 'aria-valuenow', String(Math.round(position)));
    this.attribute(el.progress, 'aria-valuetext', `${formatClock(position)} of ${formatClock(total)}`);
    // a tenth of a percent is under a pixel on any screen: no need to restyle more often
    const width = `${Math.min(100, Math.round((position / total) * 1000) / 10)}%`;
    if (el.progressFill.style.width !== width) el.progressFill.style.width = width;
  }

  /**
   * The live indicator with the current delay, what a drop cost, and what arrives; a few times a second (the
   * numbers would only flicker faster).
   * @param read () => {audible, delayMs, rejoins, lastMissedSeconds, reception}, asked only when it is shown
   */
  showLive(read) {
    const now = performance.now();
    if (now - this.liveAt < LIVE_TEXT_EVERY_MS) return;
    this.liveAt = now;
    const { audible, delayMs, rejoins, lastMissedSeconds, reception } = read();
    this.hidden(this.el.live, !audible);
    if (audible && delayMs !== null) this.text(this.el.liveText, `Live · ${(delayMs / 1000).toFixed(2)} s behind`);
    // A skip ahead has more causes than a dropped connection (the session's timeline re-anchored after the sender
    // stalled, the page caught up with the shared clock): the note says what was missed, not why.
    if (rejoins > this.rejoins) {
      this.rejoins = rejoins;
      this.text(this.el.note, `Back in step with everyone — missed ${lastMissedSeconds.toFixed(1)} s `
        + '(nothing is replayed).');
    }
    this.text(this.el.reception, reception);
  }

  showMetadata(metadata, coverUrl) {
    const el = this.el;
    this.text(el.title, metadata.title || 'Unknown');
    this.text(el.artist, metadata.artist || '');
    el.player.classList.remove('empty');
    el.lyricsSection.classList.remove('empty');
    showOnLockScreen({ title: metadata.title, artist: metadata.artist, coverUrl });
    document.title = `${metadata.title || 'Unknown'}${metadata.artist ? ` — ${metadata.artist}` : ''} · Music Share`;
  }

  showCover(objectUrl) {
    const el = this.el;
    el.cover.hidden = !objectUrl;
    el.coverPlaceholder.hidden = !!objectUrl;
    if (objectUrl) el.cover.src = objectUrl;
    else el.cover.removeAttribute('src');
  }

  showListenButton(listening) {
    this.text(this.el.listen, listening ? '■ Stop listening' : '▶ Listen');
    this.el.listen.setAttribute('aria-pressed', String(listening));
  }

  /** A muted page says so (M again unmutes). */
  showMuted(muted) {
    this.text(this.el.note, muted ? 'Muted — press M to hear it again.' : '');
  }

  /**
   * The stream stopped for good (or, "denied", until a token is given): the notice says why, and the live parts
   * give way to the past tense.
   * @param finished {state, title, text, askForToken, heardAnything, hasMetadata, listenedText, receptionText}
   */
  showFinished({ state, title, text, askForToken, heardAnything, hasMetadata, listenedText, receptionText }) {
    const el = this.el;
    this.showState(state);
    this.text(el.noticeTitle, title);
    this.text(el.noticeText, text);
    el.tokenForm.hidden = !askForToken;
    el.noticeHome.hidden = askForToken;
    el.notice.hidden = false;
    el.notice.dataset.state = state;
    el.player.classList.toggle('finished', state !== 'denied');
    // Nothing was ever shown: an empty player would only mislead.
    el.player.classList.toggle('empty', !heardAnything);
    el.lyricsSection.classList.toggle('empty', !hasMetadata);
    el.live.hidden = true;
    // Nothing live any more: who was there in the past tense, no reception, no word about a stream that is gone.
    if (state !== 'denied') {
      this.text(el.listeners, listenedText);
      this.text(el.note, '');
      this.text(el.reception, receptionText);
      if (el.total.textContent === 'live') this.text(el.total, '');
    }
    el.nameForm.hidden = true; // nothing to join under a name any more (it is asked again on a later visit)
    el.listen.disabled = true;
    if (askForToken) el.token.focus();
  }

  hideNotice() {
    this.el.notice.hidden = true;
    this.el.listen.disabled = false;
    this.el.player.classList.remove('finished');
  }

  #written(element) {
    let written = this.written.get(element);
    if (!written) this.written.set(element, (written = {}));
    return written;
  }
}
