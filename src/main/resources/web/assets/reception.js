// What the page receives, for its reception line ("Receiving Opus · 16 kB/s"): the audio events' characters (base64
// and JSON are bytes on the wire) over the last few seconds.

const WINDOW_MS = 5000;

export class Reception {
  constructor() {
    this.recent = []; // {at: performance.now(), bytes}, oldest first
  }

  count(bytes) {
    const now = performance.now();
    this.recent.push({ at: now, bytes });
    while (this.recent.length > 0 && this.recent[0].at < now - WINDOW_MS) this.recent.shift();
  }

  /** kB/s over the window (0 until two events came). */
  kBps() {
    if (this.recent.length < 2) return 0;
    const span = (performance.now() - this.recent[0].at) / 1000;
    return span > 0 ? this.recent.reduce((sum, r) => sum + r.bytes, 0) / 1000 / span : 0;
  }
}
