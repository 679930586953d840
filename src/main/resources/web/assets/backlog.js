// The audio that arrives before Listen is pressed: the newest BACKLOG_SECONDS of it (at least one event) waits, in
// order, so that pressing Listen starts at once instead of after the target delay.
import { opusEventSeconds } from './opus-stream.js';

const BACKLOG_SECONDS = 1.5;        // more than the player's target delay (1 s)
const BYTES_PER_SAMPLE = 4;         // float32
const BYTES_PER_BASE64_CHAR = 3 / 4;

/** The seconds of audio in one audio event, PCM (base64 float32) or Opus. */
function eventSeconds(event) {
  if (event.codec === 'opus') return opusEventSeconds(event);
  return (event.data.length * BYTES_PER_BASE64_CHAR) / BYTES_PER_SAMPLE / Math.max(1, event.channels)
    / event.sampleRate;
}

export class Backlog {
  constructor() {
    this.events = [];
    this.seconds = 0;
  }

  keep(event) {
    this.events.push(event);
    this.seconds += eventSeconds(event);
    while (this.events.length > 1 && this.seconds - eventSeconds(this.events[0]) >= BACKLOG_SECONDS) {
      this.seconds -= eventSeconds(this.events.shift());
    }
  }

  /** Everything kept, oldest first; the backlog is empty afterwards. */
  take() {
    const events = this.events;
    this.events = [];
    this.seconds = 0;
    return events;
  }
}
