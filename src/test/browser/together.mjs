// Listening together in Debian's headless Chromium, for ListenTogetherPageTest (assertions) and the benchmark
// (figures): pages on one session, each with a tap on its audio output that records which of the sender's samples
// it plays when. The sender (Java) sends a ramp whose value names the sample (left channel) and a constant (right
// channel) that shows every fade. This script acts, measures and reports, one JSON object per stdout line; the Java
// side drives the sender when asked ("sender-start", "pause-now", "stop-now") and answers on stdin.
// Usage: node together.mjs <base-url> <listen-url> <artifact-dir> <seconds-together> <late-joiner-after-seconds>
//   <shared-token>
import { chromium } from 'playwright-core';
import { createInterface } from 'node:readline';

const [baseUrl, listenUrl, artifacts, togetherArg, joinerArg, sharedToken] = process.argv.slice(2);
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
const status = (page) => page.evaluate(() => window.musicShareStatus);
const waitForState = (page, states, timeout = 20000) => page.waitForFunction(
  (wanted) => wanted.includes(window.musicShareStatus?.state), states, { timeout });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--autoplay-policy=user-gesture-required'],
});
const errors = [];
const watch = (page) => page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));

/** Opens a listener in its own browser context (its own storage), names it, presses Listen, installs the tap. */
async function join(name, options) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  watch(page);
  await page.goto(listenUrl);
  await page.waitForSelector('#name-form:not([hidden])');
  await page.fill('#display-name', name);
  await page.click('#name-form button[type="submit"]');
  await waitForState(page, ['ready']);
  await page.click('#listen');
  await waitForState(page, ['playing']);
  await page.evaluate(installTap);
  return { context, page, name };
}

/**
 * Records what the page plays: a ScriptProcessor after the player's output (before the volume), with a calibration
 * pulse scheduled at a known audio-clock time on a third channel, which tells the processor's own latency.
 */
function installTap() {
  const audio = window.musicShareAudio;
  const context = audio.context;
  const split = context.createChannelSplitter(2);
  const merge = context.createChannelMerger(3);
  audio.tapPoint.connect(split);
  split.connect(merge, 0, 0);
  split.connect(merge, 1, 1);
  const pulse = context.createConstantSource();
  pulse.connect(merge, 0, 2);
  const pulseAt = context.currentTime + 0.3;
  pulse.start(pulseAt);
  pulse.stop(pulseAt + 0.02);
  const processor = context.createScriptProcessor(2048, 3, 1);
  merge.connect(processor);
  processor.connect(context.destination); // a processor only runs when connected; it outputs silence
  const tap = { blocks: [], pulseAt, sampleRate: context.sampleRate, lyricChanges: [], processor };
  processor.onaudioprocess = (event) => {
    const input = event.inputBuffer;
    // the page's clock mapping at this moment, kept with the block: the recording outlives the page's audio
    tap.blocks.push({ at: event.playbackTime, epoch: audio.epochOf(event.playbackTime),
      left: input.getChannelData(0).slice(), right: input.getChannelData(1).slice(),
      pulse: input.getChannelData(2).slice() });
  };
  new MutationObserver(() => {
    tap.lyricChanges.push({ epoch: performance.timeOrigin + performance.now(),
      line: window.musicShareStatus.lyricLine,
      group: [...document.querySelectorAll('#lyrics li.current')].map((li) => li.textContent) });
  }).observe(document.getElementById('lyrics'), { subtree: true, attributes: true, attributeFilter: ['class'] });
  window.musicShareTap = tap;
}

/**
 * What the tap heard, as {epoch ms, phase} every 0.5 ms of valid (unfaded) audio, plus the moments audio was fading
 * or silent; computed in the page, where the samples are. The processor hands over every rendered block in order,
 * so block i starts i blocks after the first: exact audio-clock times, whatever the jitter of the callbacks.
 */
function readTap() {
  const tap = window.musicShareTap;
  if (!tap) return null;
  const rate = tap.sampleRate;
  const blocks = tap.blocks.filter((block) => Number.isFinite(block.epoch));
  const duration = blocks[0].left.length / rate;
  const middle = (values) => [...values].sort((x, y) => x - y)[values.length >> 1];
  const first = middle(blocks.map((block, i) => block.at - i * duration));
  const offset = middle(blocks.map((block) => block.epoch - block.at * 1000));
  let latency = null;
  for (let i = 0; i < blocks.length && latency === null; i++) {
    const k = blocks[i].pulse.findIndex((value) => value > 0.5);
    if (k >= 0) latency = first + i * duration + k / rate - tap.pulseAt;
  }
  if (latency === null) return { error: 'calibration pulse not found', blocks: blocks.length };
  const step = Math.max(1, Math.round(rate / 2000));
  const points = [];
  const fades = [];
  const silences = [];
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i];
    for (let k = 0; k < block.left.length; k += step) {
      const epoch = (first + i * duration + k / rate - latency) * 1000 + offset;
      const right = block.right[k];
      if (Math.abs(right - 0.5) < 0.002) {
        const left = block.left[k];
        if (left > -0.79 && left < 0.79) points.push(epoch, (left + 0.8) / 1.6);
      } else if (right > 0.01 && right < 0.49) {
        fades.push(epoch);
      } else if (right <= 0.01) {
        silences.push(epoch);
      }
    }
  }
  return { latency, points, fades, silences, lyricChanges: tap.lyricChanges, blocks: blocks.length,
    jitterMs: Math.round(1000 * Math.max(...blocks.map((block, i) => Math.abs(block.at - first - i * duration)))) };
}

/** Absolute sender frames from the ramp's phase, unwrapped near the frame expected at that moment. */
function heard(tap, senderStartEpoch, approximateDelayMs) {
  const series = [];
  for (let i = 0; i < tap.points.length; i += 2) {
    const epoch = tap.points[i];
    const phase = tap.points[i + 1] * PERIOD;
    const expected = (epoch - senderStartEpoch - approximateDelayMs) * RATE / 1000;
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

/** |A - B| in ms of sender audio at the same instants, every 10 ms where both play. */
function skew(seriesA, seriesB, from, to) {
  const skews = [];
  for (let epoch = from; epoch < to; epoch += 10) {
    const a = frameAt(seriesA, epoch);
    const b = frameAt(seriesB, epoch);
    if (a !== null && b !== null) skews.push(Math.abs(a - b) * 1000 / RATE);
  }
  return skews;
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
      jumps.push({ at: t1, ms: Math.round(drift * 1000 / RATE), faded,
        heardBefore: Math.max(...series.slice(Math.max(0, i - 2000), i).map(([, f]) => f)) >= f1 + RATE * 0.002 });
    }
  }
  return jumps;
}

/** Highlight changes against the moment the page heard each LRC line's first sample. */
function lyricErrors(series, tap, lrcTimes) {
  const errors = [];
  for (const change of tap.lyricChanges) {
    if (change.line < 0) continue;
    const time = lrcTimes[change.line];
    const target = time * RATE;
    // the first moment at or after which the page heard the line's first frame
    const index = series.findIndex(([, frame]) => frame >= target);
    if (index <= 0 || series[index][1] - target > RATE * 0.01) continue; // not heard continuously across it
    const [t0, f0] = series[index - 1];
    const [t1, f1] = series[index];
    const heardAt = t0 + (t1 - t0) * (target - f0) / Math.max(1, f1 - f0);
    errors.push(change.epoch - heardAt);
  }
  return errors;
}

const percentile = (values, p) => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p / 100 * sorted.length))];
};
const summary = (values) => ({ n: values.length, p50: percentile(values, 50), p95: percentile(values, 95),
  max: values.length ? Math.max(...values) : null });

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
  await sleep(Math.max(0, TOGETHER_MS - (Date.now() - together)));
  // the page asks for the names every 5 s; Carol named herself once her page loaded
  await alice.page.waitForFunction(() => /Carol/.test(document.getElementById('listeners').textContent), null,
    { timeout: 15000 });
  const listeners = await alice.page.textContent('#listeners');

  // Screenshots: desktop light with the invitation open, phone dark with the current line above the fold.
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

  const tapA = await alice.page.evaluate(readTap);
  const tapB = await bob.page.evaluate(readTap);
  const tapC = await carol.page.evaluate(readTap);
  const approximate = 1000;
  const a = heard(tapA, senderStartEpoch, approximate);
  const b = heard(tapB, senderStartEpoch, approximate);
  const c = heard(tapC, senderStartEpoch, approximate);
  const start = Math.max(a[0]?.[0] ?? Infinity, b[0]?.[0] ?? Infinity) + 500;
  const end = Math.min(a.at(-1)?.[0] ?? 0, b.at(-1)?.[0] ?? 0);
  const skewAB = skew(a, b, start, end);
  const skewAC = skew(a, c, (c[0]?.[0] ?? end) + 500, Math.min(end, c.at(-1)?.[0] ?? 0));
  const lyrics = lyricErrors(a, tapA, lrcTimes).concat(lyricErrors(b, tapB, lrcTimes));
  const groups = tapA.lyricChanges.filter((change) => change.group.length > 1).map((change) => change.group);
  report('together', {
    listeners, inviteLink, phoneLine, skewAB: summary(skewAB), skewAC: summary(skewAC),
    lyricErrorMs: summary(lyrics.map(Math.abs)), lyricGroups: groups.slice(0, 3),
    delayMs: summary(delays(a, senderStartEpoch, start, end)),
    statusA: await status(alice.page), statusC: await status(carol.page),
    jumpsA: discontinuities(a, tapA).slice(0, 20), tapJitterMs: [tapA.jitterMs, tapB.jitterMs, tapC.jitterMs],
  });

  // A 3 s connection stall on Carol's page: it rejoins the timeline with a fade, never replays.
  const stallAt = Date.now();
  await carol.context.setOffline(true);
  await sleep(3000);
  await carol.context.setOffline(false);
  const stallEnd = Date.now();
  await sleep(9000);
  const tapC2 = await carol.page.evaluate(readTap);
  const c2 = heard(tapC2, senderStartEpoch, approximate);
  const target = percentile(delays(c2, senderStartEpoch, stallAt - 8000, stallAt), 50);
  const after = delays(c2, senderStartEpoch, stallEnd, stallEnd + 9000).map((d, i) => d);
  const afterSeries = c2.filter(([epoch]) => epoch >= stallEnd);
  const backInStep = afterSeries.find(([epoch, frame]) => {
    const delay = epoch - senderEpochOf(senderStartEpoch, frame);
    return Math.abs(delay - target) < 20;
  });
  report('stall', {
    targetDelayMs: target, recoveredAfterMs: backInStep ? backInStep[0] - stallEnd : null,
    delayAfterMs: summary(after.slice(-2000)), jumps: discontinuities(c2, tapC2).filter((j) => j.at >= stallAt - 1000),
    status: await status(carol.page), note: await carol.page.textContent('#note'),
    skewAfterMs: summary(skew(a.length ? heard(await alice.page.evaluate(readTap), senderStartEpoch, approximate) : [],
      c2, stallEnd + 5000, Date.now() - 200)),
  });

  // The sender pauses; everyone follows it back to the target delay.
  report('pause-now');
  const pausedAt = Number(await nextInput());
  const resumedAt = Number(await nextInput());
  senderShifts = JSON.parse(await nextInput());
  await sleep(8000);
  const tapA3 = await alice.page.evaluate(readTap);
  const a3 = heard(tapA3, senderStartEpoch, approximate);
  const before = percentile(delays(a3, senderStartEpoch, pausedAt - 6000, pausedAt - 500), 50);
  const resumed = a3.filter(([epoch]) => epoch >= resumedAt);
  const settle = resumed.find(([epoch, frame]) => {
    const delay = epoch - senderEpochOf(senderStartEpoch, frame);
    return Math.abs(delay - before) < 20 || epoch - resumedAt > 10000;
  });
  const pauseDelays = delays(a3, senderStartEpoch, resumedAt + 5000, Date.now() - 200);
  report('pause', { delayBeforeMs: before, settledAfterMs: settle ? settle[0] - resumedAt : null,
    delayAfterMs: summary(pauseDelays), jumps: discontinuities(a3, tapA3).filter((j) => j.at >= pausedAt - 500) });

  // The end: every page plays out what it holds, then says "ended".
  report('stop-now');
  const lastFrame = Number(await nextInput());
  await waitForState(alice.page, ['ended'], 20000);
  const tapA4 = await alice.page.evaluate(readTap);
  const a4 = heard(tapA4, senderStartEpoch, approximate);
  report('ended', { lastFrameSent: lastFrame, lastFrameHeard: a4.at(-1)?.[1] ?? null,
    state: (await status(alice.page)).state, listenDisabled: await alice.page.isDisabled('#listen'),
    tailFaded: tapA4.fades.some((epoch) => epoch >= (a4.at(-1)?.[0] ?? 0) - 1 && epoch <= (a4.at(-1)?.[0] ?? 0) + 20) });
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
