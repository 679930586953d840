// The audio clock against the page's clock, through the moment samples leave the device: an AudioContext's
// getOutputTimestamp() pairs a context time with the performance.now() at which that sample is heard. The timeline
// player schedules with it (so output latency is included) and knows from it what is heard now.

// Output-timestamp readings in the median that maps the audio clock to the page's clock: a fraction of a second's
// worth, because the browser moves the mapping when its renderer falls behind and skips frames, and the player must
// follow within a chunk or two (readings jitter by well under a millisecond otherwise).
const MAPPING_READINGS = 31;
// A fresh context's first output timestamps are off by a device period or two (Chromium: 46 ms, then 23 ms, then
// steady): before placing the first chunk the player waits until this many readings in a row agree within
// MAPPING_AGREE_SECONDS, and forgets the ones before (at most MAPPING_WAIT_MS: a device without output timestamps).
const MAPPING_FIRST_READINGS = 3;
const MAPPING_AGREE_SECONDS = 0.002;
const MAPPING_WAIT_MS = 1500;

export class OutputClock {
  constructor(context) {
    this.context = context;
    this.readings = [];        // contextTime - performanceTime/1000 from the output timestamps
    this.mapping = undefined;
  }

  /** Waits (at most MAPPING_WAIT_MS) until the first readings agree, and starts from those. */
  async settle() {
    const until = performance.now() + MAPPING_WAIT_MS;
    while (this.context.state !== 'closed' && !this.#steady() && performance.now() < until) {
      this.contextMinusPerformance();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    if (this.#steady()) {
      this.readings = this.readings.slice(-MAPPING_FIRST_READINGS);
      this.mapping = median(this.readings);
    }
  }

  /**
   * The offset between the audio clock and performance.now() (seconds), through the moment samples leave the
   * device: the median of recent output timestamps (each reading jitters by up to a device period). Without output
   * timestamps, the current time less the output latency.
   */
  contextMinusPerformance() {
    const stamp = this.context.getOutputTimestamp?.();
    if (stamp && stamp.contextTime > 0 && stamp.performanceTime > 0) {
      const reading = stamp.contextTime - stamp.performanceTime / 1000;
      if (reading !== this.readings[this.readings.length - 1]) { // a new device period, not the same one again
        this.readings.push(reading);
        if (this.readings.length > MAPPING_READINGS) this.readings.shift();
        this.mapping = median(this.readings);
      }
      return this.mapping;
    }
    return this.context.currentTime - this.#outputLatency() - performance.now() / 1000;
  }

  #steady() {
    const last = this.readings.slice(-MAPPING_FIRST_READINGS);
    return last.length === MAPPING_FIRST_READINGS
      && Math.max(...last) - Math.min(...last) <= MAPPING_AGREE_SECONDS;
  }

  /** What the device still holds before the speakers: used only without output timestamps. */
  #outputLatency() {
    return this.context.outputLatency || this.context.baseLatency || 0;
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}
