// A listener page's tap (played-samples-tap.worklet.js) as the test sees it: installed behind the player's fade seam,
// drained often into this process, and read here in epoch time. Draining often keeps each read small: reading a
// page's whole history at once (tens of thousands of points, serialized on the page's main thread) held the page up
// for a good part of a second, and a lyric change that fell there counted as the page's lateness. Each read notes
// how long it held the page's main thread (from its start until the page runs its next task, so the serializing of
// what it returns counts too): lyric changes held up there are the test's doing.
import { readFileSync } from 'node:fs';

const WORKLET = readFileSync(new URL('./played-samples-tap.worklet.js', import.meta.url), 'utf8');
const SENDER_RATE = 48000;
const SERIES = ['points', 'quiet', 'fades', 'silences', 'skips', 'stamps', 'lyricChanges', 'frames', 'busy'];
// Batches arrive ~22 times a second: the median of the output timestamps within ±12 readings is about a second's.
const MAPPING_WINDOW = 12;
// Where the audio device fell a period behind (or caught up), the output timestamps step by more than this.
const MAPPING_STEP_MS = 5;

/** Installs the tap and the page's own recorders (frames drawn, lyric changes); runs in the page. */
async function installTap(source) {
  const audio = window.musicShareAudio;
  const context = audio.context;
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  await context.audioWorklet.addModule(url);
  const node = new AudioWorkletNode(context, 'played-samples-tap', { numberOfInputs: 1, numberOfOutputs: 1,
    outputChannelCount: [1], channelCount: 2, channelCountMode: 'explicit', channelInterpretation: 'discrete' });
  audio.tapPoint.connect(node);
  node.connect(context.destination); // a node is rendered only while connected; it outputs silence
  const tap = { points: [], quiet: [], fades: [], silences: [], skips: [], stamps: [], lyricChanges: [], frames: [],
    busy: [], batches: 0, node };
  node.port.onmessage = ({ data }) => {
    tap.batches++;
    for (const name of ['points', 'quiet', 'fades', 'silences', 'skips']) {
      for (const value of data[name]) tap[name].push(value);
    }
    // the output timestamp: when the samples of a context time leave the device, as [contextTime, epoch offset]
    const stamp = context.getOutputTimestamp();
    if (stamp.contextTime > 0 && stamp.performanceTime > 0) {
      tap.stamps.push([stamp.contextTime, performance.timeOrigin + stamp.performanceTime - stamp.contextTime * 1000]);
    }
  };
  // The page's frames: a lyric change after a long gap between frames came late because the browser drew no frame.
  const frame = () => {
    tap.frames.push(performance.timeOrigin + performance.now());
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  new MutationObserver(() => {
    const status = window.musicShareStatus;
    tap.lyricChanges.push({ epoch: performance.timeOrigin + performance.now(), line: status.lyricLine,
      position: status.position, state: status.state,
      group: [...document.querySelectorAll('#lyrics li.current')].map((li) => li.textContent) });
  }).observe(document.getElementById('lyrics'), { subtree: true, attributes: true, attributeFilter: ['class'] });
  window.musicShareTap = tap;
  return { rate: context.sampleRate, position: window.musicShareStatus.position,
    epoch: performance.timeOrigin + performance.now() };
}

/** Hands over what the tap gathered since the last call, and forgets it; runs in the page. */
function drainTap(names) {
  const tap = window.musicShareTap;
  const began = performance.timeOrigin + performance.now();
  setTimeout(() => tap.busy.push([began, performance.timeOrigin + performance.now()]), 0);
  const drained = { batches: tap.batches };
  for (const name of names) {
    drained[name] = tap[name];
    tap[name] = [];
  }
  return drained;
}

export class Tap {
  /**
   * Installs the tap on a page that is playing. Where the page says it is in the track then (the test sender's
   * track position is its frame count) is where the tones' phases, which name a sample within 8 s, are unwrapped from
   * (see together-analysis.mjs#heard).
   */
  static async install(page) {
    const { rate, position, epoch } = await page.evaluate(installTap, WORKLET);
    return new Tap(page, rate, Date.now(), [epoch, position * SENDER_RATE]);
  }

  constructor(page, rate, installedAt, reference) {
    this.page = page;
    this.rate = rate;
    this.installedAt = installedAt;
    this.reference = reference; // [epoch ms, sender frame] heard about then
    this.raw = Object.fromEntries(SERIES.map((name) => [name, []]));
    this.batches = 0;
    this.queue = Promise.resolve();
  }

  /** Moves what the page gathered into this process; calls run one after another, so the series stay in order. */
  pull() {
    this.queue = this.queue.then(async () => {
      const drained = await this.page.evaluate(drainTap, SERIES);
      this.batches = drained.batches;
      for (const name of SERIES) for (const value of drained[name]) this.raw[name].push(value);
    }).catch(() => { /* the page closed: what was drained before stays */ });
    return this.queue;
  }

  /**
   * What the tap heard, in epoch time: {points: [epoch, phase, …] every 1 ms of valid (unfaded) audio, quiet (faded
   * but readable) the same way, fades, silences, skips [{at, ms, mapping}], lyricChanges, frames, busy, health}. A
   * frame's time is its place on the audio clock mapped to epoch time by the median of the output timestamps within
   * about a second of it.
   */
  view() {
    const raw = this.raw;
    const rate = this.rate;
    const middle = (values) => [...values].sort((x, y) => x - y)[values.length >> 1];
    const stamps = raw.stamps.map(([at], i) => [at, middle(raw.stamps
      .slice(Math.max(0, i - MAPPING_WINDOW), i + MAPPING_WINDOW + 1).map(([, offset]) => offset))]);
    if (stamps.length === 0) return null;
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
    const mapPairs = (flat) => {
      const mapped = [];
      for (let i = 0; i < flat.length; i += 2) mapped.push(epochOf(flat[i]), flat[i + 1]);
      return mapped;
    };
    // Frames the renderer skipped (ms > 0), or blocks it rendered again (currentFrame behind the block before, ms < 0)
    const skips = [];
    for (let i = 0; i < raw.skips.length; i += 2) {
      skips.push({ at: epochOf(raw.skips[i]), ms: (raw.skips[i + 1] - raw.skips[i]) * 1000 / rate, mapping: false });
    }
    const rendererSkips = skips.length;
    const repeats = skips.filter((skip) => skip.ms < 0).length;
    // Where the audio device itself fell a period behind (or caught up), the output timestamps step by it: the sound
    // is late by that much for everyone on this page, and the mapping above (a median) moves over at one instant,
    // where the heard series then shows a jump the page never made. Counted with the glitches.
    let mappingSteps = 0;
    for (let i = 1; i < stamps.length; i++) {
      const step = stamps[i][1] - stamps[i - 1][1];
      if (Math.abs(step) > MAPPING_STEP_MS) {
        skips.push({ at: epochOf(stamps[i][0] * rate), ms: step, mapping: true });
        mappingSteps++;
      }
    }
    const offsets = stamps.map(([, offset]) => offset);
    const renderer = skips.slice(0, rendererSkips);
    return {
      points: mapPairs(raw.points), quiet: mapPairs(raw.quiet), fades: raw.fades.map(epochOf),
      silences: raw.silences.map(epochOf), skips, lyricChanges: raw.lyricChanges, frames: raw.frames,
      busy: raw.busy, installedAt: this.installedAt, reference: this.reference,
      health: { batches: this.batches, repeats, mappingSteps, skips: rendererSkips - repeats,
        lostFrames: Math.round(renderer.reduce((sum, skip) => sum + Math.max(0, skip.ms) * rate / 1000, 0)),
        skippedMs: Math.round(renderer.reduce((sum, skip) => sum + Math.max(0, skip.ms), 0)),
        mappingSpreadMs: Math.round((Math.max(...offsets) - Math.min(...offsets)) * 100) / 100 },
    };
  }
}
