// Plays the session's chunks on the shared timeline: each chunk carries its presentation time (the server's clock,
// the same for every listener), and this player plays it at that time plus a fixed target delay, mapped to its
// AudioContext's clock through the moment its samples actually leave the speakers (getOutputTimestamp, so the
// output latency is included). Every page that does this plays the same sample at the same instant.
//
// Chunks that follow one another are joined sample to sample. Where the join drifts from the timeline (the clock
// estimate moved, the audio device runs a little fast or slow), a small error is worked off by playing a touch
// faster or slower (at most ±0.5 %, inaudible), a large one by a re-seek: a short fade out, the jump, a fade in.
// After a drop the player rejoins the timeline where it is now, with a fade, never replaying what it missed, and
// says how much that was. Delay never grows: audio that comes too late for its time is skipped, not queued.
import { OutputClock } from './output-clock.js';
import { decodeChannels, encodedFrames } from './samples.js';

export const TARGET_DELAY_MS = 1000;  // behind the timeline: covers the sender's jitter and the network
const FADE_SECONDS = 0.006;           // a fade at every discontinuity: no click, too short to hear as a dip
const SETTLED_SECONDS = 0.0015;       // errors below this are left alone
const NUDGE_BELOW_SECONDS = 0.008;    // errors below this are worked off by the playback rate (within 2 s); above, a
                                      // re-seek at once: two phones in one room 10 ms apart begin to sound as an echo
const MAX_NUDGE = 0.005;              // ±0.5 % playback rate
const NUDGE_OVER_SECONDS = 2;         // an error is worked off over about this long
const SCHEDULE_MARGIN_SECONDS = 0.02; // a source needs to be scheduled a little ahead of the audio clock
// The end is heard out this far past its last sample before the page closes its audio: two render quanta.
const DRAIN_MARGIN_SECONDS = 0.006;

export class TimelinePlayer {
  constructor(clock, { targetDelayMs = TARGET_DELAY_MS } = {}) {
    this.clock = clock;
    this.targetDelayMs = targetDelayMs;
    this.context = null;
    this.volume = 0.8;
    this.scheduled = [];       // {start, end, sequence, timestamp, presentation, offset, rate, source}, oldest first
    this.outputClock = null;   // the audio clock against the page's, through the moment samples leave the device
    this.reset();
  }

  reset() {
    this.nextStart = 0;        // where a chunk following the last one would start (context seconds)
    this.fadingOutAt = null;       // a fade-out already placed at the end of what is queued (a drop is coming)
    this.pendingMissedSeconds = 0; // audio skipped since the last chunk that was heard, reported when one is again
    this.stats = { chunksScheduled: 0, chunksPlayed: 0, chunksDropped: 0, underruns: 0, lastSequence: -1,
      rejoins: 0, reseeks: 0, missedSeconds: 0, lastMissedSeconds: 0, playbackRate: 1, errorMs: 0 };
  }

  get started() {
    return this.context !== null;
  }

  /** Must run inside a user gesture (the Listen button): browsers only let a page start audio then. */
  async start() {
    this.context = new AudioContext({ latencyHint: 'playback' });
    this.outputClock = new OutputClock(this.context);
    this.output = this.context.createGain();   // the volume
    this.seam = this.context.createGain();     // fades at discontinuities
    this.seam.connect(this.output);
    this.output.gain.value = this.volume;
    this.output.connect(this.context.destination);
    await this.context.resume();
    await this.outputClock.settle();
  }

  async stop() {
    const context = this.context;
    this.context = null;
    this.scheduled = [];
    this.outputClock = null;
    this.reset();
    if (context) await context.close();
  }

  setVolume(volume) {
    this.volume = volume;
    if (this.context) this.output.gain.setTargetAtTime(volume, this.context.currentTime, 0.02);
  }

  setMuted(muted) {
    if (this.context) this.output.gain.setTargetAtTime(muted ? 0 : this.volume, this.context.currentTime, 0.01);
  }

  /**
   * Queues one PCM chunk (the push stream's audio event) at its place on the timeline, in sequence order. Its samples
   * are decoded only if it is still to be heard: a page rejoining after a drop is handed seconds of chunks whose time
   * has passed, and decoding them all at once held up the page (and, on a small machine, the others) for nothing.
   */
  playPcm(chunk) {
    if (!this.context || chunk.sequenceNumber <= this.stats.lastSequence) return;
    const previous = this.stats.lastSequence;
    const channels = Math.max(1, chunk.channels | 0);
    const frames = encodedFrames(chunk.data, channels);
    const follows = chunk.sequenceNumber === previous + 1;
    // chunks the stream never gave this page (a gap), counted once one is heard again
    const missedSeconds = previous >= 0 && !follows
      ? (chunk.sequenceNumber - previous - 1) * frames / chunk.sampleRate : 0;
    this.schedule({ sequence: chunk.sequenceNumber, timestamp: chunk.timestamp, presentation: chunk.presentationTime,
      sampleRate: chunk.sampleRate, frames, decode: () => decodeChannels(chunk.data, channels, frames), follows,
      missedSeconds });
  }

  /**
   * Queues one block of audio at its place on the timeline: {sequence, timestamp (the sender's clock at its first
   * sample, ms), presentation (the server's clock, ms; undefined: place it as it arrives), sampleRate, planes (one
   * Float32Array per channel) or frames and decode() (which returns the planes, called only if the block is played),
   * follows (it continues the block before sample to sample), missedSeconds (audio the stream skipped before it)}.
   * Blocks come in stream order: PCM chunks, or decoded Opus events (opus-stream.js).
   */
  schedule(block) {
    if (!this.context) return;
    this.stats.lastSequence = Math.max(this.stats.lastSequence, block.sequence);
    const frames = block.planes ? (block.planes[0]?.length ?? 0) : block.frames;
    if (!(frames > 0)) return;
    const duration = frames / block.sampleRate;
    // An older server sends no presentation time: the chunk is placed as it arrives.
    const presentation = typeof block.presentation === 'number' ? block.presentation : this.clock.now();
    const contiguous = block.follows;
    const joined = this.stats.chunksScheduled > 0; // before that, skipping what is past is joining, not missing
    if (joined) this.pendingMissedSeconds += block.missedSeconds || 0;
    const now = this.context.currentTime;
    this.#forgetFinished(now);
    const ideal = this.contextTimeOf(presentation + this.targetDelayMs);

    let start = ideal;
    let rate = 1;
    let seam = true;
    const queued = this.nextStart > now + SCHEDULE_MARGIN_SECONDS;
    const error = this.nextStart - ideal; // > 0: the join would be late for the timeline
    if (queued && contiguous && Math.abs(error) <= NUDGE_BELOW_SECONDS && this.fadingOutAt === null) {
      start = this.nextStart;
      seam = false;
      if (Math.abs(error) > SETTLED_SECONDS) {
        rate = 1 + Math.max(-MAX_NUDGE, Math.min(MAX_NUDGE, error / NUDGE_OVER_SECONDS));
      }
    } else if (queued && contiguous) {
      this.stats.reseeks++;
    }
    this.stats.errorMs = Math.round(error * 10000) / 10;
    this.stats.playbackRate = rate;

    let offset = 0;
    if (seam) {
      const earliest = now + SCHEDULE_MARGIN_SECONDS;
      if (start < earliest) {
        offset = earliest - start; // the beginning of this chunk is already past for everyone: skip it
        start = earliest;
      }
      if (joined) this.pendingMissedSeconds += Math.min(offset, duration);
      if (offset >= duration) {
        this.stats.chunksDropped++;
        return;
      }
      if (joined && !queued) this.stats.underruns++;
      this.#placeSeam(start, this.nextStart > now); // what still sounds, even for a moment, is faded and stopped
    }
    this.#reportMissed();

    const planes = block.planes ?? block.decode();
    const buffer = this.context.createBuffer(planes.length, frames, block.sampleRate);
    for (let channel = 0; channel < planes.length; channel++) buffer.copyToChannel(planes[channel], channel);
    const source = this.context.createBufferSource();
    source.buffer = buffer;
    source.playbackRate.value = rate;
    source.connect(this.seam);
    source.onended = () => { this.stats.chunksPlayed++; };
    source.start(start, offset);
    const end = start + (duration - offset) / rate;
    this.scheduled.push({ start, end, sequence: block.sequence, timestamp: block.timestamp, presentation,
      offset, rate, source });
    this.nextStart = end;
    this.stats.chunksScheduled++;
  }

  /**
   * Called often (every frame): when the queue is about to run dry, fades its end out so that the drop that follows
   * is not a hard cut. A chunk that arrives in time after all re-joins with a fade in.
   */
  guardUnderrun() {
    if (!this.context || this.fadingOutAt !== null || this.scheduled.length === 0) return;
    const now = this.context.currentTime;
    if (this.nextStart - now > 0.06 || this.nextStart <= now + FADE_SECONDS) return;
    const gain = this.seam.gain;
    gain.cancelScheduledValues(this.nextStart - FADE_SECONDS);
    gain.setValueAtTime(1, this.nextStart - FADE_SECONDS);
    gain.linearRampToValueAtTime(0, this.nextStart);
    this.fadingOutAt = this.nextStart;
  }

  /** The context time whose samples are heard when the server's clock reads serverMs (NaN when not started). */
  contextTimeOf(serverMs) {
    if (!this.context) return NaN;
    return this.clock.toLocal(serverMs) / 1000 + this.#contextMinusPerformance();
  }

  /** performance.now() (ms) at which the samples at contextTime leave the speakers. */
  performanceTimeOf(contextTime) {
    if (!this.context) return NaN;
    return (contextTime - this.#contextMinusPerformance()) * 1000;
  }

  /** What is heard now: the chunk, the sender's clock and the timeline at this very sample; null when silent. */
  audible() {
    if (!this.context) return null;
    const heard = this.#heardContextTime();
    this.#forgetFinished(this.context.currentTime);
    const entry = this.scheduled.find((candidate) => candidate.start <= heard && heard < candidate.end);
    if (!entry) return null;
    const intoChunkMs = (entry.offset + (heard - entry.start) * entry.rate) * 1000;
    return {
      sequence: entry.sequence,
      senderTime: typeof entry.timestamp === 'number' ? entry.timestamp + intoChunkMs : null,
      presentation: entry.presentation + intoChunkMs,
    };
  }

  /** How far behind the server's clock what is heard now is (ms), or null when silent. */
  delayMs() {
    const heard = this.audible();
    return heard ? this.clock.now() - heard.presentation : null;
  }

  bufferedSeconds() {
    return this.context ? Math.max(0, this.nextStart - this.context.currentTime) : 0;
  }

  isBuffering() {
    if (!this.context) return false;
    return this.audible() === null;
  }

  /**
   * Resolves once everything queued has been heard: once the output clock (the samples leaving the speakers, which
   * trail what the audio thread has rendered by the device's latency) is past the end, with render quanta to spare.
   * Closing the context on the rendering clock instead cut the last milliseconds off whenever the device held them.
   */
  async drain() {
    if (!this.context) return;
    // a context the browser suspended (a phone's screen locked) would never get there: the page says "ended" anyway
    const until = performance.now() + (Math.max(0, this.nextStart - this.context.currentTime) + 2) * 1000;
    while (this.context && this.#heardContextTime() < this.nextStart + DRAIN_MARGIN_SECONDS
        && performance.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** The context time of the samples leaving the speakers now. */
  #heardContextTime() {
    return Math.min(this.context.currentTime, performance.now() / 1000 + this.#contextMinusPerformance());
  }

  /**
   * Where the timeline jumps: fade out what still sounds at the jump (or at its end), stop it there (two chunks never
   * overlap), fade in at the new start.
   */
  #placeSeam(start, sounding) {
    const gain = this.seam.gain;
    const now = this.context.currentTime;
    const fadeOutEnd = sounding ? Math.min(start, this.nextStart) : null;
    gain.cancelScheduledValues(Math.max(now, (fadeOutEnd ?? start) - FADE_SECONDS));
    if (fadeOutEnd !== null) {
      if (fadeOutEnd - FADE_SECONDS > now) {
        gain.setValueAtTime(1, fadeOutEnd - FADE_SECONDS);
      } else {
        gain.setValueAtTime(gain.value, now); // less than a fade's length left: as much of one as there is
      }
      gain.linearRampToValueAtTime(0, fadeOutEnd);
      for (const entry of this.scheduled) {
        if (entry.end <= start) continue;
        entry.source.stop(start);
        this.pendingMissedSeconds += (entry.end - Math.max(entry.start, start)) * entry.rate; // cut, never heard
      }
      this.scheduled = this.scheduled.filter((entry) => entry.start < start);
      for (const entry of this.scheduled) entry.end = Math.min(entry.end, start);
    }
    gain.setValueAtTime(0, start);
    gain.linearRampToValueAtTime(1, start + FADE_SECONDS);
    this.fadingOutAt = null;
  }

  /** Audio skipped since the last chunk heard (a drop, a re-seek ahead): counted once the page hears again. */
  #reportMissed() {
    const missed = this.pendingMissedSeconds;
    this.pendingMissedSeconds = 0;
    if (missed < 0.05) return; // a re-seek's few milliseconds are not worth a word
    this.stats.missedSeconds += missed;
    this.stats.lastMissedSeconds = missed;
    this.stats.rejoins++;
  }

  #contextMinusPerformance() {
    return this.outputClock.contextMinusPerformance();
  }

  #forgetFinished(now) {
    while (this.scheduled.length > 0 && this.scheduled[0].end <= now - 0.5) this.scheduled.shift();
  }
}
