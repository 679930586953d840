// Synced lyrics in LRC form: "[mm:ss.xx]text", several time tags per line allowed, "[offset:+/-ms]" honoured,
// other ID tags ([ar:], [ti:], …) ignored.

const TIME_TAG = /\[(\d{1,3}):(\d{1,2}(?:[.:]\d{1,3})?)\]/g;
const OFFSET_TAG = /^\[offset:\s*([+-]?\d+)\]$/i;

/** Parses LRC text into lines sorted by time: [{time: seconds, text}]. Lines without a time tag are dropped. */
export function parseLrc(text) {
  if (!text) return [];
  let offsetSeconds = 0;
  const lines = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const offset = OFFSET_TAG.exec(line);
    if (offset) {
      // A positive offset makes lyrics appear sooner.
      offsetSeconds = -Number(offset[1]) / 1000;
      continue;
    }
    const times = [];
    let lastIndex = 0;
    TIME_TAG.lastIndex = 0;
    for (let match; (match = TIME_TAG.exec(line)) && match.index === lastIndex;) {
      times.push(Number(match[1]) * 60 + Number(match[2].replace(':', '.')));
      lastIndex = TIME_TAG.lastIndex;
    }
    const lyric = line.slice(lastIndex).trim();
    for (const time of times) lines.push({ time, text: lyric });
  }
  lines.sort((a, b) => a.time - b.time);
  return lines.map((line) => ({ time: Math.max(0, line.time + offsetSeconds), text: line.text }));
}

/** The index of the line being sung at {@code seconds}, or -1 before the first one. */
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
