// Listening together in Debian's headless Chromium, for ListenTogetherPageTest (assertions) and the benchmark
// (figures): pages on one session, each with a tap on its audio output that records which of the sender's samples
// it plays when. The sender (Java) sends a ramp whose value names the sample (left channel) and a constant (right
// channel) that shows every fade. This script acts, measures and reports, one JSON object per stdout line; the Java
// side drives the sender when asked ("sender-start", "pause-now", "stop-now") and answers on stdin.
// Usage: node together.mjs <base-url> <listen-url> <artifact-dir> <seconds-together> <late-joiner-after-seconds>
//   <shared-token> <codec: pcm|opus>
// The 3 s connection stall is made by the page itself (its ?debug hook drops the stream and stays away): a browser
// context's offline switch does not reliably cut a live stream in Chromium.
import { launchChromium, status, waitForState as waitForAnyState } from './chromium.mjs';
import { createInterface } from 'node:readline';

const [baseUrl, listenUrl, artifacts, togetherArg, joinerArg, sharedToken, codec = 'pcm'] = process.argv.slice(2);
const TOGETHER_MS = Number(togetherArg) * 1000;
const JOINER_AFTER_MS = Number(joinerArg) * 1000;
const RATE = 48000;                 // the sender's sample rate
const PERIOD = RATE * 8;            // the ramp repeats every 8 s: a sample's value names it within that
const report = (step, data = {}) => console.log(JSON.stringify({ step, ...data }));
const stdin = createInterface({ input: process.stdin });
const lines = [];
stdin.on('line', (line) => lines.push(line));
const nextInput = async () => {
  while (lines.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  return lines.shift();
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const waitForState = (page, states, timeout = 20000) => waitForAnyState(page, states, timeout);

const browser = await launchChromium(['--autoplay-policy=user-gesture-required']);
const errors = [];
const watch = (page) => page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));

/** The listen link with the page's ?debug flag (musicShareDebug.stallStream(ms)) and the codec to receive. */
function debugUrl(link) {
  const url = new URL(link);
  url.searchParams.set('debug', '1');
  url.searchParams.set('codec', codec);
  return url.toString();
}

/**
 * Installing the tap's AudioWorklet moves the browser's output-timestamp mapping (Chromium 155: by 33 ms at once,
 * measured), and each page follows it with a re-seek: the measurement's own doing, so its figures start this long
 * after a page's tap is in.
 */
const TAP_SETTLE_MS = 1500;

/** Opens a listener in its own browser context (its own storage), names it, presses Listen, installs the tap. */
async function join(name, options) {
  // bypassCSP: the page's policy allows scripts from its own origin only, and the tap is loaded from a blob URL
  const context = await browser.newContext({ ...options, bypassCSP: true });
  const page = await context.newPage();
  watch(page);
  await page.goto(debugUrl(listenUrl));
  await page.waitForSelector('#name-form:not([hidden])');
  await page.fill('#display-name', name);
  await page.click('#name-form button[type="submit"]');
  await waitForState(page, ['ready']);
  await page.click('#listen');
  // a fresh server's Opus encoder may take a while to run in real time on a loaded machine (its JIT warming up)
  await waitForState(page, ['playing'], 60000);
  await page.evaluate(installTap, TAP_WORKLET);
  return { context, page, name, tapAt: Date.now() };
}

/**
 * The tap, an AudioWorklet on the audio thread: it sees every rendered block of the player's output (before the
 * volume) with its exact frame number, whatever the load on the page's main thread (a ScriptProcessor, on the main
 * thread, lost and repeated whole blocks under load). Every 1 ms it reads which of the sender's samples is playing
 * from the tones the sender sends (RampSender: three pairs, left at f, right at f + Δ; each pair's phase difference
 * gives the sample's place within 8 s, 250 ms and 7.8 ms, the 4 kHz tone's own phase within 0.25 ms), measured
 * over a 4 ms Hann window: exact to a frame through Opus as through PCM, where a lossy codec would bend a plain ramp
 * (Opus's encoder removes DC and anything below a few Hz). It hands over, per batch: valid samples (every tone at
 * full level, the levels agreeing) as [frame, phase]; faded but still readable ones ("quiet") the same way; moments
 * the level over the last 1 ms was fading (under half) or silent (a hard cut's two halves never dip under 3/4 of it,
 * a fade to the seam goes to zero); and frames the audio clock skipped without rendering them (the browser's renderer
 * fell behind). Little work is left for the page's main thread, so measuring does not delay the lyrics measured.
 */
const TAP_WORKLET = `
const BATCH = 2048;
const STEP = Math.max(1, Math.round(sampleRate / 1000));
const WINDOW = 192;
const PERIOD = 384000;
const AMPLITUDE = 0.15;
const TONES = [[8000, 8001], [16000, 16032], [32000, 33024]]; // eighths of a Hz: left, right
const LEVELS = [PERIOD, 12000, 375, 12];                      // sender frames: 8 s, 250 ms, 1/128 s, 0.25 ms
const NOMINAL_RMS = AMPLITUDE * Math.sqrt(1.5);
const weights = Array.from({ length: WINDOW }, (_, k) => 0.5 - 0.5 * Math.cos(2 * Math.PI * (k + 0.5) / WINDOW));
const weightSum = weights.reduce((a, b) => a + b);
const tables = TONES.flat().map((eighths) => {
  const cos = new Float32Array(WINDOW);
  const sin = new Float32Array(WINDOW);
  for (let k = 0; k < WINDOW; k++) {
    const angle = 2 * Math.PI * eighths / 8 * (k - WINDOW / 2 + 0.5) / sampleRate; // the context's rate
    cos[k] = weights[k] * Math.cos(angle);
    sin[k] = weights[k] * Math.sin(angle);
  }
  return { cos, sin };
});
const wrap = (x) => x - Math.round(x);
const fraction = (x) => x - Math.floor(x);
class PlayedSamplesTap extends AudioWorkletProcessor {
  constructor() {
    super();
    this.expected = -1;
    this.left = new Float32Array(2 * WINDOW);  // each sample twice: the window is always one straight run
    this.right = new Float32Array(2 * WINDOW);
    this.at = 0;
    this.filled = 0;
    this.fresh();
  }
  fresh() {
    this.heard = 0;
    this.points = [];
    this.quiet = [];
    this.fades = [];
    this.silences = [];
    this.skips = [];
    this.frames = 0;
  }
  /** The window ending at the newest sample: [frame, phase] with its level, or null where the tones do not agree. */
  read() {
    const phases = [];
    const levels = [];
    for (let j = 0; j < 6; j++) {
      const samples = j % 2 ? this.right : this.left;
      const { cos, sin } = tables[j];
      let c = 0;
      let s = 0;
      for (let k = 0, i = this.at; k < WINDOW; k++, i++) {
        c += samples[i] * cos[k];
        s += samples[i] * sin[k];
      }
      phases.push(Math.atan2(c, s) / (2 * Math.PI));
      levels.push(2 * Math.hypot(c, s) / weightSum / AMPLITUDE);
    }
    const sorted = [...levels].sort((a, b) => a - b);
    const level = (sorted[2] + sorted[3]) / 2;
    if (level < 0.1 || sorted[0] < level * 0.85 || sorted[5] > level * 1.15) return null;
    const cycles = [fraction(phases[1] - phases[0]), fraction(phases[3] - phases[2]), fraction(phases[5] - phases[4]),
      fraction(phases[4])];
    let place = cycles[0] * LEVELS[0];
    for (let l = 1; l < 4; l++) {
      const residual = wrap((cycles[l] * LEVELS[l] - place) / LEVELS[l]);
      if (Math.abs(residual) > 0.3) return null;
      place += residual * LEVELS[l];
    }
    return { phase: fraction(place / PERIOD), level };
  }
  process(inputs) {
    const input = inputs[0];
    const left = input[0];
    const right = input[1];
    const frames = left ? left.length : 128;
    if (this.expected >= 0 && currentFrame !== this.expected) this.skips.push(this.expected, currentFrame);
    this.expected = currentFrame + frames;
    for (let k = 0; k < frames; k++) {
      const l = left ? left[k] : 0;
      const r = right ? right[k] : 0;
      this.left[this.at] = this.left[this.at + WINDOW] = l;
      this.right[this.at] = this.right[this.at + WINDOW] = r;
      this.at = (this.at + 1) % WINDOW;
      this.filled++;
      const frame = currentFrame + k;
      if ((frame + 1) % STEP !== 0 || this.filled < WINDOW) continue;
      let squares = 0;
      for (let i = this.at + WINDOW - STEP; i < this.at + WINDOW; i++) squares += this.left[i] * this.left[i];
      const gain = Math.sqrt(squares / STEP) / NOMINAL_RMS;
      if (gain <= 0.03) this.silences.push(frame);
      else if (gain < 0.5) this.fades.push(frame);
      const heard = this.read();
      if (heard === null) continue;
      const centre = frame - WINDOW / 2 + 0.5;
      if (heard.level > 0.9 && heard.level < 1.1) this.points.push(centre, heard.phase);
      else this.quiet.push(centre, heard.phase);
    }
    this.frames += frames;
    // Sound that stops is handed over at once: the page closes its audio soon after its last sample (the end).
    const sounding = this.points.length + this.quiet.length + this.fades.length > this.heard;
    this.heard = this.points.length + this.quiet.length + this.fades.length;
    if (this.frames >= BATCH || (this.wasSounding && !sounding)) {
      this.port.postMessage({ points: this.points, quiet: this.quiet, fades: this.fades, silences: this.silences,
        skips: this.skips });
      this.fresh();
    }
    this.wasSounding = sounding;
    return true;
  }
}
registerProcessor('played-samples-tap', PlayedSamplesTap);
`;

/**
 * Installs the tap behind the player's fade seam, and notes the audio clock's mapping to epoch time (the output
 * timestamp: when the samples of a context time leave the device) as batches arrive.
 */
async function installTap(source) {
  const audio = window.musicShareAudio;
  const context = audio.context;
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  await context.audioWorklet.addModule(url);
  const node = new AudioWorkletNode(context, 'played-samples-tap', { numberOfInputs: 1, numberOfOutputs: 1,
    outputChannelCount: [1], channelCount: 2, channelCountMode: 'explicit', channelInterpretation: 'discrete' });
  audio.tapPoint.connect(node);
  node.connect(context.destination); // a node is rendered only while connected; it outputs silence
  const tap = { points: [], quiet: [], fades: [], silences: [], skips: [], stamps: [], sampleRate: context.sampleRate,
    lyricChanges: [], batches: 0, node };
  node.port.onmessage = ({ data }) => {
    tap.batches++;
    for (const name of ['points', 'quiet', 'fades', 'silences', 'skips']) {
      for (const value of data[name]) tap[name].push(value);
    }
    const stamp = context.getOutputTimestamp();
    if (stamp.contextTime > 0 && stamp.performanceTime > 0) {
      tap.stamps.push([stamp.contextTime, performance.timeOrigin + stamp.performanceTime - stamp.contextTime * 1000]);
    }
  };
  // The page's frames: a lyric change after a long gap between frames came late because the browser drew no frame
  // (its renderer got no CPU on this loaded machine), whatever the page's timing.
  tap.frames = [];
  const frame = () => {
    tap.frames.push(performance.timeOrigin + performance.now());
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  new MutationObserver(() => {
    tap.lyricChanges.push({ epoch: performance.timeOrigin + performance.now(),
      line: window.musicShareStatus.lyricLine,
      group: [...document.querySelectorAll('#lyrics li.current')].map((li) => li.textContent) });
  }).observe(document.getElementById('lyrics'), { subtree: true, attributes: true, attributeFilter: ['class'] });
  window.musicShareTap = tap;
}

/**
 * What the tap heard, in epoch time: {epoch ms, phase} every 1 ms of valid (unfaded) audio, and the moments audio
 * was fading or silent. A frame's time is its place on the audio clock, mapped to epoch time by the median of the
 * output timestamps within about a second of it.
 */
function readTap() {
  const tap = window.musicShareTap;
  if (!tap || tap.stamps.length === 0) return null;
  const began = performance.timeOrigin + performance.now();
  const rate = tap.sampleRate;
  const middle = (values) => [...values].sort((x, y) => x - y)[values.length >> 1];
  const WINDOW = 12; // batches arrive ~23 times a second: ±12 readings is about a second
  const stamps = tap.stamps.map(([at], i) => [at, middle(tap.stamps.slice(Math.max(0, i - WINDOW), i + WINDOW + 1)
    .map(([, offset]) => offset))]);
  const epochOf = (frame) => {
    const seconds = frame / rate;
    let low = 0;
    let high = stamps.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (stamps[mid][0] <= seconds) low = mid; else high = mid - 1;
    }
    return seconds * 1000 + stamps[low][1];
  };
  const points = [];
  for (let i = 0; i < tap.points.length; i += 2) points.push(epochOf(tap.points[i]), tap.points[i + 1]);
  const quiet = [];
  for (let i = 0; i < tap.quiet.length; i += 2) quiet.push(epochOf(tap.quiet[i]), tap.quiet[i + 1]);
  // Frames the renderer skipped (ms > 0), or blocks it rendered again (currentFrame behind the block before, ms < 0)
  const skips = [];
  for (let i = 0; i < tap.skips.length; i += 2) {
    skips.push({ at: epochOf(tap.skips[i]), ms: (tap.skips[i + 1] - tap.skips[i]) * 1000 / rate });
  }
  const repeats = skips.filter((skip) => skip.ms < 0).length;
  // Where the audio device itself fell a period behind (or caught up), the output timestamps step by it with every
  // frame rendered: the sound is late by that much for everyone on this page, and the mapping above (a median) moves
  // over at one instant, where the heard series then shows a jump the page never made. Counted with the glitches.
  let mappingSteps = 0;
  for (let i = 1; i < stamps.length; i++) {
    const step = stamps[i][1] - stamps[i - 1][1];
    if (Math.abs(step) > 5) {
      skips.push({ at: epochOf(stamps[i][0] * rate), ms: step });
      mappingSteps++;
    }
  }
  const offsets = stamps.map(([, offset]) => offset);
  // This reading holds up the page's main thread: a lyric change it delays is the measurement's doing, not the page's.
  tap.busy = [...(tap.busy ?? []), [began, performance.timeOrigin + performance.now()]];
  return { points, quiet, busy: tap.busy, frames: tap.frames, fades: tap.fades.map(epochOf),
    silences: tap.silences.map(epochOf), skips, repeats,
    lyricChanges: tap.lyricChanges, batches: tap.batches,
    lostFrames: Math.round(skips.slice(0, skips.length - mappingSteps)
      .reduce((sum, skip) => sum + Math.max(0, skip.ms) * rate / 1000, 0)), mappingSteps,
    mappingSpreadMs: Math.max(...offsets) - Math.min(...offsets) };
}

/**
 * Absolute sender frames from the tones' phase (a place within 8 s), unwrapped near the frame expected at that
 * moment: for the first point, the sender's frame of that moment less the approximate delay; after it, the previous
 * point's frame moved on by the time between them. A page skips or repeats far less than 4 s at once, whereas the
 * delay behind the test sender's nominal clock can drift by seconds when its thread is starved on a loaded machine.
 */
function heard(tap, senderStartEpoch, approximateDelayMs) {
  const series = [];
  const points = tap.points;
  for (let i = 0; i < points.length; i += 2) {
    const epoch = points[i];
    const phase = points[i + 1] * PERIOD;
    const previous = series.at(-1);
    const expected = previous ? previous[1] + (epoch - previous[0]) * RATE / 1000
      : (epoch - senderStartEpoch - approximateDelayMs) * RATE / 1000;
    const frame = phase + PERIOD * Math.round((expected - phase) / PERIOD);
    series.push([epoch, frame]);
  }
  return series;
}

/** The frame heard at epoch by linear interpolation between valid points at most 3 ms apart; null otherwise. */
function frameAt(series, epoch) {
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

/** |A - B| in ms of sender audio at the same instants, every 10 ms where both play, outside the excluded spans. */
function skew(seriesA, seriesB, from, to, excluded = []) {
  return signedSkew(seriesA, seriesB, from, to)
    .filter(([epoch]) => !excluded.some(([start, end]) => epoch >= start && epoch < end)).map(([, ms]) => Math.abs(ms));
}

/**
 * Where the browser's renderer skipped frames on any of the given taps (its audio thread fell behind on this loaded
 * machine): the source playing then ends late by the skip, and the browser may move its output-timestamp mapping,
 * which the page follows within a second. Measured apart: what the page does, and what the browser did to it.
 */
const SKIP_SETTLE_MS = 1000;
function glitches(...taps) {
  return taps.flatMap((tap) => tap.skips.map((skip) => [skip.at - 20, skip.at + SKIP_SETTLE_MS]));
}

/** The signed skew's median per second, to see whether skew is a steady offset or moments (for the figures). */
function skewBySecond(seriesA, seriesB, from, to) {
  const seconds = new Map();
  for (const [epoch, ms] of signedSkew(seriesA, seriesB, from, to)) {
    const second = Math.floor((epoch - from) / 1000);
    if (!seconds.has(second)) seconds.set(second, []);
    seconds.get(second).push(ms);
  }
  return [...seconds.values()].map((values) => Math.round(10 * percentile(values, 50)) / 10);
}

let senderShifts = []; // [fromFrame, shiftMs]: the sender's pauses moved its clock on from that frame

/** When the sender played a frame (epoch ms). */
function senderEpochOf(senderStartEpoch, frame) {
  let shift = 0;
  for (const [fromFrame, shiftMs] of senderShifts) if (frame >= fromFrame) shift = shiftMs;
  return senderStartEpoch + shift + frame * 1000 / RATE;
}

/** Delay behind the sender (ms): when a sample was heard minus when the sender played it. */
function delays(series, senderStartEpoch, from = -Infinity, to = Infinity) {
  return series.filter(([epoch]) => epoch >= from && epoch < to)
    .map(([epoch, frame]) => epoch - senderEpochOf(senderStartEpoch, frame));
}

/** Jumps in what is heard: backwards (something played twice) and forwards (skipped), each with its fade. */
function discontinuities(series, tap) {
  const jumps = [];
  for (let i = 1; i < series.length; i++) {
    const [t0, f0] = series[i - 1];
    const [t1, f1] = series[i];
    const drift = (f1 - f0) - (t1 - t0) * RATE / 1000; // frames beyond real-time advance
    if (Math.abs(drift) > RATE * 0.004) {
      const faded = tap.fades.some((epoch) => epoch >= t0 - 1 && epoch <= t1 + 1)
        || tap.silences.some((epoch) => epoch >= t0 - 1 && epoch <= t1 + 1);
      // the browser's renderer skipped or re-rendered frames here (its audio thread fell behind): not the page's cut
      const browserSkip = tap.skips.some((skip) => skip.at >= t0 - 30 && skip.at <= t1 + 30);
      jumps.push({ at: t1, ms: Math.round(drift * 1000 / RATE), faded, browserSkip,
        heardBefore: Math.max(...series.slice(Math.max(0, i - 2000), i).map(([, f]) => f)) >= f1 + RATE * 0.002 });
    }
  }
  return jumps;
}

/**
 * Highlight changes against the moment the page heard each LRC line's first sample: every change, whether or not the
 * browser drew a frame near it, except (unless asked for) those that the test's own work held up (reading the tap,
 * screenshots: they stop the page's main thread).
 */
function lyricErrors(series, tap, lrcTimes, testBusy = [], leaveOutTestWork = true, withTimes = false) {
  const errors = [];
  const busy = leaveOutTestWork ? tap.busy.concat(testBusy) : [];
  for (const change of tap.lyricChanges) {
    if (change.line < 0) continue;
    if (busy.some(([from, to]) => change.epoch >= from && change.epoch <= to + 20)) continue;
    const time = lrcTimes[change.line];
    const target = time * RATE;
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

/** The longest stretch between stall start and end without valid audio, ms. */
function silentSpan(series, from, to) {
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

const percentile = (values, p) => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p / 100 * sorted.length))];
};
const round = (value) => (value === null ? null : Math.round(value * 10) / 10);
const summary = (values) => ({ n: values.length, p50: round(percentile(values, 50)),
  p95: round(percentile(values, 95)), max: round(values.length ? values.reduce((x, y) => Math.max(x, y)) : null) });

try {
  report('sender-start');
  const senderStartEpoch = Number(await nextInput());
  const lrcTimes = JSON.parse(await nextInput());
  const alice = await join('Alice', { viewport: { width: 1100, height: 900 } });
  const bob = await join('Bob', { viewport: { width: 390, height: 844 }, colorScheme: 'dark', deviceScaleFactor: 2,
    isMobile: true, hasTouch: true });
  const together = Date.now();
  report('two-listening');
  await sleep(JOINER_AFTER_MS);
  const carol = await join('Carol', { viewport: { width: 800, height: 700 } });
  // at least 8 s of Carol in step, however long her page took to join on a loaded machine
  await sleep(Math.max(TOGETHER_MS - (Date.now() - together), carol.tapAt + TAP_SETTLE_MS + 8000 - Date.now(), 0));
  // the page asks for the names every 5 s; Carol named herself once her page loaded
  await alice.page.waitForFunction(() => /Carol/.test(document.getElementById('listeners').textContent), null,
    { timeout: 15000 });
  const listeners = await alice.page.textContent('#listeners');

  // Screenshots: desktop light with the invitation open, phone dark with the current line above the fold. Taking
  // them holds up the pages' main threads on a loaded machine: the figures leave out that stretch.
  const shotsAt = Date.now();
  await alice.page.click('#invite');
  await alice.page.waitForSelector('#invite-panel:not([hidden]) #invite-qr[src]');
  await alice.page.waitForFunction(() => document.getElementById('invite-qr').naturalWidth > 0);
  const inviteLink = await alice.page.inputValue('#invite-link');
  await alice.page.screenshot({ path: `${artifacts}/together-desktop-light.png`, fullPage: true });
  await bob.page.screenshot({ path: `${artifacts}/together-phone-dark.png` });
  const phoneLine = await bob.page.evaluate(() => {
    const line = document.getElementById('current-line');
    const box = line.getBoundingClientRect();
    return { text: line.textContent, top: box.top, bottom: box.bottom, visible: box.height > 0,
      scrollBoxes: [...document.querySelectorAll('*')].filter((element) => {
        const style = getComputedStyle(element);
        return /(auto|scroll)/.test(style.overflowY) && element.scrollHeight > element.clientHeight + 1;
      }).map((element) => element.id || element.className) };
  });

  const testBusy = [[shotsAt, Date.now() + 1500]];
  const tapA = await alice.page.evaluate(readTap);
  const tapB = await bob.page.evaluate(readTap);
  const tapC = await carol.page.evaluate(readTap);
  const approximate = 1000;
  const a = heard(tapA, senderStartEpoch, approximate);
  const b = heard(tapB, senderStartEpoch, approximate);
  const c = heard(tapC, senderStartEpoch, approximate);
  const start = Math.max(a[0]?.[0] ?? Infinity, b[0]?.[0] ?? Infinity, alice.tapAt + TAP_SETTLE_MS,
    bob.tapAt + TAP_SETTLE_MS);
  const end = Math.min(a.at(-1)?.[0] ?? 0, b.at(-1)?.[0] ?? 0, shotsAt);
  const joined = Math.max(c[0]?.[0] ?? end, carol.tapAt + TAP_SETTLE_MS);
  const groups = tapA.lyricChanges.filter((change) => change.group.length > 1).map((change) => change.group);
  const tapHealth = (tap) => ({ lostFrames: tap.lostFrames, batches: tap.batches,
    mappingSpreadMs: Math.round(tap.mappingSpreadMs * 100) / 100, repeats: tap.repeats, mappingSteps: tap.mappingSteps,
    skips: tap.skips.length - tap.repeats - tap.mappingSteps,
    skippedMs: Math.round(tap.skips.slice(0, tap.skips.length - tap.mappingSteps)
      .reduce((sum, skip) => sum + Math.max(0, skip.ms), 0)) });
  report('together', {
    listeners, inviteLink, phoneLine, seconds: Math.round((end - start) / 1000),
    skewAB: summary(skew(a, b, start, end, glitches(tapA, tapB))),
    skewAC: summary(skew(a, c, joined, end, glitches(tapA, tapC))),
    skewABRaw: summary(skew(a, b, start, end)),
    skewACRaw: summary(skew(a, c, joined, end)),
    skewABBySecond: skewBySecond(a, b, start, end),
    skewACBySecond: skewBySecond(a, c, joined, end),
    lyricErrorMs: summary(lyricErrors(a, tapA, lrcTimes, testBusy).concat(lyricErrors(b, tapB, lrcTimes, testBusy))
      .map(Math.abs)),
    lyricGroups: groups.slice(0, 3), delayMs: summary(delays(a, senderStartEpoch, start, end)),
    statusA: await status(alice.page), statusB: await status(bob.page), statusC: await status(carol.page),
    jumps: [a, b, c].map((series, i) => discontinuities(series, [tapA, tapB, tapC][i]).slice(0, 10)),
    taps: [tapA, tapB, tapC].map(tapHealth),
  });

  // A 3 s connection stall on Carol's page: it rejoins the timeline with a fade, never replays.
  const stallAt = Date.now();
  await carol.page.evaluate((ms) => window.musicShareDebug.stallStream(ms), 3000);
  const stallEnd = stallAt + 3000;
  await sleep(stallEnd + 7000 - Date.now());
  const tapC2 = await carol.page.evaluate(readTap);
  const tapA2 = await alice.page.evaluate(readTap);
  const c2 = heard(tapC2, senderStartEpoch, approximate);
  const a2 = heard(tapA2, senderStartEpoch, approximate);
  // In step again: Carol plays what Alice (undisturbed) plays at the same instant, within 10 ms.
  const backInStep = c2.find(([epoch, frame]) => {
    if (epoch < stallEnd) return false;
    const other = frameAt(a2, epoch);
    return other !== null && Math.abs(other - frame) * 1000 / RATE <= 10;
  });
  const settledFrom = stallEnd + 5000;
  const settledTo = Math.min(a2.at(-1)?.[0] ?? 0, c2.at(-1)?.[0] ?? 0);
  report('stall', {
    targetDelayMs: percentile(delays(a2, senderStartEpoch, settledFrom, settledTo), 50),
    recoveredAfterMs: backInStep ? backInStep[0] - stallEnd : null,
    delayAfterMs: summary(delays(c2, senderStartEpoch, settledFrom, settledTo)),
    silentMs: silentSpan(c2, stallAt, settledFrom),
    jumps: discontinuities(c2, tapC2).filter((j) => j.at >= stallAt - 1000),
    status: await status(carol.page), note: await carol.page.textContent('#note'),
    skewAfterMs: summary(skew(a2, c2, settledFrom, settledTo, glitches(tapA2, tapC2))),
  });

  // The sender pauses; everyone follows it back to the target delay.
  report('pause-now');
  const pausedAt = Number(await nextInput());
  const resumedAt = Number(await nextInput());
  senderShifts = JSON.parse(await nextInput());
  report('pause-times', { pausedAt, resumedAt });
  await sleep(resumedAt + 6000 - Date.now());
  const tapA3 = await alice.page.evaluate(readTap);
  const a3 = heard(tapA3, senderStartEpoch, approximate);
  const before = percentile(delays(a3, senderStartEpoch, pausedAt - 6000, pausedAt - 500), 50);
  // Settled: from this moment on, the delay stays within 5 ms of where it ends. Where that is depends on the
  // session's timeline, which a sender's stall on this loaded machine may have re-anchored before the pause (then the
  // pause's re-anchoring gives the stall's delay back): the delay must settle, and not grow.
  const resumed = a3.filter(([epoch]) => epoch >= resumedAt)
    .map(([epoch, frame]) => [epoch, epoch - senderEpochOf(senderStartEpoch, frame)]);
  const final = percentile(resumed.filter(([epoch]) => epoch >= resumed.at(-1)[0] - 1000).map(([, d]) => d), 50);
  let settledAt = null;
  for (let i = resumed.length - 1; i >= 0 && Math.abs(resumed[i][1] - final) <= 5; i--) settledAt = resumed[i][0];
  report('pause', { delayBeforeMs: before, settledAfterMs: settledAt === null ? null : settledAt - resumedAt,
    delayAfterMs: summary(delays(a3, senderStartEpoch, resumedAt + 5000)), statusA: await status(alice.page),
    jumps: discontinuities(a3, tapA3).filter((j) => j.at >= pausedAt - 500) });

  // The end: every page plays out what it holds, then says "ended".
  report('stop-now');
  const lastFrame = Number(await nextInput());
  const stoppedAt = Date.now();
  await waitForState(alice.page, ['ended'], 20000);
  const endedAt = Date.now();
  const tapA4 = await alice.page.evaluate(readTap);
  const tapB4 = await bob.page.evaluate(readTap);
  const a4 = heard(tapA4, senderStartEpoch, approximate);
  const b4 = heard(tapB4, senderStartEpoch, approximate);
  // The whole run, two pages side by side: skew and lyrics everywhere both play (the sender's pause is silence on
  // both, so it drops out by itself); delay outside the pause and its settling.
  const whole = [start, stoppedAt];
  // the last sample heard at all: the end's fade-out is heard too, if ever more quietly
  const pairs = (flat) => Array.from({ length: flat.length / 2 }, (_, i) => [flat[2 * i], flat[2 * i + 1]]);
  const everything = pairs(tapA4.points).concat(pairs(tapA4.quiet)).sort((x, y) => x[0] - y[0]).flat();
  const lastHeard = heard({ points: everything }, senderStartEpoch, approximate).at(-1);
  report('ended', { lastFrameSent: lastFrame, lastFrameHeard: lastHeard?.[1] ?? null,
    lastValidFrameHeard: a4.at(-1)?.[1] ?? null,
    lastHeardBeforeEndedMs: endedAt - (lastHeard?.[0] ?? 0),
    state: (await status(alice.page)).state, listenDisabled: await alice.page.isDisabled('#listen'),
    endedView: await alice.page.evaluate(() => ({ listeners: document.getElementById('listeners').textContent,
      inviteDisabled: document.getElementById('invite').disabled,
      invitePanelHidden: document.getElementById('invite-panel').hidden,
      inviteLink: document.getElementById('invite-link').value,
      reception: document.getElementById('reception').textContent,
      liveHidden: document.getElementById('live').hidden, note: document.getElementById('note').textContent,
      total: document.getElementById('total').textContent })),
    tailFaded: tapA4.fades.some((epoch) => epoch >= (a4.at(-1)?.[0] ?? 0) - 1 && epoch <= (a4.at(-1)?.[0] ?? 0) + 20),
    seconds: Math.round((whole[1] - whole[0]) / 1000),
    skewAB: summary(skew(a4, b4, ...whole, testBusy.concat(glitches(tapA4, tapB4)))),
    skewABRaw: summary(skew(a4, b4, ...whole)),
    lyricErrorMs: summary(lyricErrors(a4, tapA4, lrcTimes, testBusy)
      .concat(lyricErrors(b4, tapB4, lrcTimes, testBusy)).map(Math.abs)),
    lyricLate: lyricErrors(a4, tapA4, lrcTimes, testBusy, true, true).concat(lyricErrors(b4, tapB4, lrcTimes,
      testBusy, true, true)).filter(([, error]) => Math.abs(error) > 50)
      .map(([epoch, error, line]) => [Math.round(epoch - whole[0]), Math.round(error), line]),
    lyricErrorRawMs: summary(lyricErrors(a4, tapA4, lrcTimes, [], false)
      .concat(lyricErrors(b4, tapB4, lrcTimes, [], false)).map(Math.abs)),
    delayMs: summary(delays(a4, senderStartEpoch, whole[0], pausedAt - 500)
      .concat(delays(a4, senderStartEpoch, resumedAt + 5000, stoppedAt))),
    jumps: [a4, b4].map((series, i) => discontinuities(series, [tapA4, tapB4][i])),
    taps: [tapA4, tapB4].map(tapHealth) });
  await alice.page.screenshot({ path: `${artifacts}/together-ended.png`, fullPage: true });

  // Error states: the player is hidden and Listen disabled.
  const ends = {};
  for (const [name, path, scheme] of [['wrongToken', '/listen/999998#token=lt_999998_00000000000000000000000000000000', 'light'],
    ['notFound', `/listen/999999#token=${encodeURIComponent(sharedToken)}`, 'dark']]) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: scheme });
    const tab = await context.newPage();
    await tab.goto(`${baseUrl}${path}`);
    await waitForState(tab, ['not-found', 'denied', 'invalid']);
    ends[name] = { state: (await status(tab)).state, playerVisible: await tab.isVisible('#player'),
      listenDisabled: await tab.isDisabled('#listen') };
    await tab.screenshot({ path: `${artifacts}/together-${name}-${scheme}.png`, fullPage: true });
    await context.close();
  }
  report('done', { ends, errors });
} catch (error) {
  report('failed', { error: String(error.stack ?? error), errors });
  process.exitCode = 1;
} finally {
  await browser.close();
  stdin.close();
}
