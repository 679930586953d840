// Synced lyrics in LRC form: "[mm:ss.xx]text", several leading time tags per line allowed (with or without spaces
// between them), "[offset:+/-ms]" honoured, other ID tags ([ar:], [ti:], …) ignored. Markup after the leading tags
// (enhanced-LRC word tags "<mm:ss.xx>", a time tag inside the text) is removed from the words. A byte-order mark is
// not text. src/main/java/dev/musicshare/lyrics/LrcLyrics.java follows the same rules; both are run against one
// table of cases (src/test/resources/lrc-cases.json).

const TIME = String.raw`(\d{1,3}):(\d{1,2}(?:[.:]\d{1,3})?)`;
const LEADING_TIME_TAG = new RegExp(String.raw`\s*\[${TIME}\]`, 'y');
const MARKUP_TAG = new RegExp(String.raw`<${TIME}>|\[${TIME}\]`, 'g');
const OFFSET_TAG = /^\[offset:\s*([+-]?\d+)\]$/i;

/** Parses LRC text into lines sorted by time: [{time: seconds, text}]. Lines without a time tag are dropped. */
export function parseLrc(text) {
  if (!text) return [];
  let offsetSeconds = 0;
  const lines = [];
  for (const raw of text.replaceAll('\uFEFF', '').split(/\r\n|\r|\n/)) {
    const line = raw.trim();
    const offset = OFFSET_TAG.exec(line);
    if (offset) {
      // A positive offset makes lyrics appear sooner.
      offsetSeconds = -Number(offset[1]) / 1000;
      continue;
    }
    const times = [];
    LEADING_TIME_TAG.lastIndex = 0;
    let end = 0;
    for (let match; (match = LEADING_TIME_TAG.exec(line));) {
      times.push(Number(match[1]) * 60 + Number(match[2].replace(':', '.')));
      end = LEADING_TIME_TAG.lastIndex;
    }
    const words = line.slice(end).replace(MARKUP_TAG, '').replace(/\s{2,}/g, ' ').trim();
    for (const time of times) lines.push({ time, text: words });
  }
  lines.sort((a, b) => a.time - b.time); // stable: lines sharing a time keep the file's order
  return lines.map((line) => ({ time: Math.max(0, line.time + offsetSeconds), text: line.text }));
}

/** The index of the last line whose time has come at {@code seconds}, or -1 before the first one. */
export function lineAt(lines, seconds) {
  let low = 0;
  let high = lines.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (lines[middle].time <= seconds) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}

/**
 * The current line and every line sharing its time (an original and its translation, say) as {first, last}
 * indices, or null before the first line: they are sung together and highlighted together.
 */
export function groupAt(lines, seconds) {
  const last = lineAt(lines, seconds);
  if (last < 0) return null;
  let first = last;
  while (first > 0 && lines[first - 1].time === lines[last].time) first -= 1;
  return { first, last };
}
