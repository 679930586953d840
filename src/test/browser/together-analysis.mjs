// The figures of together.mjs, from what the pages' taps heard (tap.mjs's views): which sender frame each page played
// when, how far apart two pages were, how far behind the sender, where a page jumped and whether it faded there,
// and how late each lyric change was against the audio heard. Pure functions of the series.

export const RATE = 48000;          // the sender's sample rate
const PERIOD = RATE * 8;            // the tones' phases name a sample within 8 s
/**
 * Installing the tap's AudioWorklet moves the browser's output-timestamp mapping (Chromium 155: by 33 ms at once,
 * measured), and each page follows it with a re-seek: the measurement's own doing, so a page's figures start this
 * long after its tap is in.
 */
export const TAP_SETTLE_MS = 1500;
/**
 * Where the browser's renderer skipped (or repeated) frames, the source playing then ends late by the skip: the page
 * is off by that much until its next chunk starts on time (a chunk is 100 ms, in PCM and in Opus). Where the audio
 * device fell a period behind, the output-timestamp mapping moves and the page follows it within a second.
 */
const SKIP_REACH_MS = 150;
const MAPPING_SETTLE_MS = 1000;

/**
 * Absolute sender frames from the tones' phase (a place within 8 s), unwrapped near the frame expected at that
 * moment: for the first point, the frame the page said it played when its tap was installed ([epoch, frame]) moved on
 * by the time since; after it, the previous point's frame moved on by the time between them. A page skips or repeats
 * far less than 4 s at once. (The sender's nominal clock is no reference: its thread, starved on a loaded machine,
 * fell more than 4 s behind it, and every figure of that run was off by 8 s.)
 * @return [[epoch, frame], …]
 */
export function heard(points, [referenceEpoch, referenceFrame]) {
  const series = [];
  for (let i = 0; i < points.length; i += 2) {
    const epoch = points[i];
    const phase = points[i + 1] * PERIOD;
    const previous = series.at(-1);
    const expected = previous ? previous[1] + (epoch - previous[0]) * RATE / 1000
      : referenceFrame + (epoch - referenceEpoch) * RATE / 1000;
    series.push([epoch, phase + PERIOD * Math.round((expected - phase) / PERIOD)]);
  }
  return series;
}

/** The frame heard at epoch by linear interpolation between valid points at most 3 ms apart; null otherwise. */
export function frameAt(series, epoch) {
  let low = 0;
  let high = series.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (series[middle][0] <= epoch) low = middle; else high = middle - 1;
  }
  const a = series[low];
  const b = series[low + 1];
  if (!a || !b || a[0] > epoch || b[0] - a[0] > 3 || Math.abs(b[1] - a[1] - (b[0] - a[0]) * RATE / 1000) > 48) {
    return null;
  }
  return a[1] + (b[1] - a[1]) * (epoch - a[0]) / (b[0] - a[0]);
}

/** A - B in ms of sender audio at the same instants, every 10 ms where both play: [epoch, ms] pairs. */
function signedSkew(seriesA, seriesB, from, to) {
  const skews = [];
  for (let epoch = from; epoch < to; epoch += 10) {
    const a = frameAt(seriesA, epoch);
    const b = frameAt(seriesB, epoch);
    if (a !== null && b !== null) skews.push([epoch, (a - b) * 1000 / RATE]);
  }
  return skews;
}

const inside = (spans, epoch) => spans.some(([start, end]) => epoch >= start && epoch < end);

/** |A - B| in ms of sender audio at the same instants, every 10 ms where both play, outside the excluded spans. */
export function skew(seriesA, seriesB, from, to, excluded = []) {
  return signedSkew(seriesA, seriesB, from, to).filter(([epoch]) => !inside(excluded, epoch)).map(([, ms]) => Math.abs(ms));
}

/**
 * Where the browser itself moved the sound on any of the given taps (its renderer skipped frames, or the audio
 * device fell a period behind), each as long as it reaches: measured apart, what the page does and what the browser
 * did to it.
 */
export function glitches(...views) {
  return views.flatMap((view) => view.skips.map((skip) => [skip.at - 20,
    skip.at + (skip.mapping ? MAPPING_SETTLE_MS : Math.abs(skip.ms) + SKIP_REACH_MS)]));
}

/** The signed skew's median per second, to see whether skew is a steady offset or moments (for the figures). */
export function skewBySecond(seriesA, seriesB, from, to) {
  const seconds = new Map();
  for (const [epoch, ms] of signedSkew(seriesA, seriesB, from, to)) {
    const second = Math.floor((epoch - from) / 1000);
    if (!seconds.has(second)) seconds.set(second, []);
    seconds.get(second).push(ms);
  }
  return [...seconds.values()].map((values) => Math.round(10 * percentile(values, 50)) / 10);
}

/** The sender's clock: when it played a frame (epoch ms), its pauses ([fromFrame, shiftMs]) moving it on. */
export function senderClock(senderStartEpoch, shifts = []) {
  return (frame) => {
    let shift = 0;
    for (const [fromFrame, shiftMs] of shifts) if (frame >= fromFrame) shift = shiftMs;
    return senderStartEpoch + shift + frame * 1000 / RATE;
  };
}

/** Delay behind the sender (ms): when a sample was heard minus when the sender played it, outside excluded spans. */
export function delays(series, epochOfFrame, from = -Infinity, to = Infinity, excluded = []) {
  return series.filter(([epoch]) => epoch >= from && epoch < to && !inside(excluded, epoch))
    .map(([epoch, frame]) => epoch - epochOfFrame(frame));
}

/**
 * After a discontinuity at `from`: when the delay behind the sender settled, that is the first moment from which it
 * stays within toleranceMs of where it ends (its median over the last second), outside the browser's glitches.
 * @return {settledAt (epoch ms, or null), final (ms)}
 */
export function settling(series, epochOfFrame, from, excluded, toleranceMs = 5) {
  const after = series.filter(([epoch]) => epoch >= from && !inside(excluded, epoch))
    .map(([epoch, frame]) => [epoch, epoch - epochOfFrame(frame)]);
  if (after.length === 0) return { settledAt: null, final: null };
  const final = percentile(after.filter(([epoch]) => epoch >= after.at(-1)[0] - 1000).map(([, d]) => d), 50);
  let settledAt = null;
  for (let i = after.length - 1; i >= 0 && Math.abs(after[i][1] - final) <= toleranceMs; i--) settledAt = after[i][0];
  return { settledAt, final };
}

/** Jumps in what is heard: backwards (something played twice) and forwards (skipped), each with its fade. */
export function discontinuities(series, view) {
  const jumps = [];
  for (let i = 1; i < series.length; i++) {
    const [t0, f0] = series[i - 1];
    const [t1, f1] = series[i];
    const drift = (f1 - f0) - (t1 - t0) * RATE / 1000; // frames beyond real-time advance
    if (Math.abs(drift) > RATE * 0.004) {
      const faded = view.fades.some((epoch) => epoch >= t0 - 1 && epoch <= t1 + 1)
        || view.silences.some((epoch) => epoch >= t0 - 1 && epoch <= t1 + 1);
      // the browser's renderer skipped or re-rendered frames here (its audio thread fell behind): not the page's cut
      const browserSkip = view.skips.some((skip) => skip.at >= t0 - 30 && skip.at <= t1 + 30);
      let latest = -Infinity;
      for (let j = Math.max(0, i - 2000); j < i; j++) latest = Math.max(latest, series[j][1]);
      jumps.push({ at: t1, ms: Math.round(drift * 1000 / RATE), faded, browserSkip,
        heardBefore: latest >= f1 + RATE * 0.002 });
    }
  }
  return jumps;
}

/**
 * Highlight changes against the moment the page heard each LRC line's first sample: every change once the page's
 * tap settled, whether or not the browser drew a frame near it, except (unless asked for) those that the test's own
 * work held up (reading the tap, screenshots: they stop the page's main thread).
 * @return [ms, …], or with withTimes [[epoch, ms, line], …]
 */
export function lyricErrors(series, view, lrcTimes, testBusy = [], leaveOutTestWork = true, withTimes = false) {
  const errors = [];
  const busy = leaveOutTestWork ? view.busy.concat(testBusy) : [];
  for (const change of view.lyricChanges) {
    if (change.line < 0 || change.epoch < view.installedAt + TAP_SETTLE_MS) continue;
    if (busy.some(([from, to]) => change.epoch >= from && change.epoch <= to + 20)) continue;
    const target = lrcTimes[change.line] * RATE;
    // the first moment at or after which the page heard the line's first frame
    const index = series.findIndex(([, frame]) => frame >= target);
    if (index <= 0 || series[index][1] - target > RATE * 0.01) continue; // not heard continuously across it
    const [t0, f0] = series[index - 1];
    const [t1, f1] = series[index];
    if (t1 - t0 > 3) continue; // a pause or a drop lies across it
    const heardAt = t0 + (t1 - t0) * (target - f0) / Math.max(1, f1 - f0);
    errors.push(withTimes ? [change.epoch, change.epoch - heardAt, change.line] : change.epoch - heardAt);
  }
  return errors;
}

/** The longest stretch between from and to without valid audio, ms. */
export function silentSpan(series, from, to) {
  let longest = 0;
  let last = from;
  for (const [epoch] of series) {
    if (epoch < from) continue;
    if (epoch > to) break;
    longest = Math.max(longest, epoch - last);
    last = epoch;
  }
  return Math.round(longest);
}

export function percentile(values, p) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p / 100 * sorted.length))];
}

const round = (value) => (value === null ? null : Math.round(value * 10) / 10);

/** {n, p50, p95, max} of a list of figures. */
export function summary(values) {
  return { n: values.length, p50: round(percentile(values, 50)), p95: round(percentile(values, 95)),
    max: round(values.length ? values.reduce((x, y) => Math.max(x, y)) : null) };
}
