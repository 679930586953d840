// The server's clock as this page sees it, from NTP-style round trips to GET /api/clock: the server read its clock
// somewhere inside the round trip, so the estimate is its answer against the round trip's middle, give or take half
// the round trip. Round trips that took long say little (the request or the answer waited somewhere), so only the
// quickest half of the recent ones count, and of those the median offset (Snapcast's filter): one slow or odd answer
// cannot move the estimate.

const KEPT = 30;              // recent round trips remembered
const FIRST_SAMPLES = 7;      // taken back to back before playing, so the first estimate is already filtered
const EVERY_MS = 2000;        // then one every two seconds follows drift between the two clocks

export class ServerClock {
  constructor(base) {
    this.url = `${base}api/clock`;
    this.samples = [];
    this.offsetMs = null;     // server clock minus this page's clock (performance.timeOrigin + performance.now())
    this.roundTripMs = null;  // the median round trip of the samples in use
    this.timer = null;
  }

  get ready() {
    return this.offsetMs !== null;
  }

  /** Takes the first round trips, then keeps sampling in the background. */
  async start() {
    for (let i = 0; i < FIRST_SAMPLES; i++) {
      try { await this.sample(); } catch { /* the stream reports connection trouble; try the next */ }
    }
    this.timer ??= setInterval(() => { this.sample().catch(() => {}); }, EVERY_MS);
  }

  stop() {
    clearInterval(this.timer);
    this.timer = null;
  }

  async sample() {
    const sent = performance.now();
    const response = await fetch(this.url, { cache: 'no-store' });
    const { serverTime } = await response.json();
    const received = performance.now();
    if (typeof serverTime !== 'number') return;
    const middle = performance.timeOrigin + (sent + received) / 2;
    this.samples.push({ offset: serverTime - middle, roundTrip: received - sent });
    if (this.samples.length > KEPT) this.samples.shift();
    const quickest = [...this.samples].sort((a, b) => a.roundTrip - b.roundTrip)
      .slice(0, Math.max(1, Math.ceil(this.samples.length / 2)));
    this.offsetMs = median(quickest.map((s) => s.offset));
    this.roundTripMs = median(quickest.map((s) => s.roundTrip));
  }

  /** The server's clock now, epoch milliseconds. */
  now() {
    return performance.timeOrigin + performance.now() + (this.offsetMs ?? 0);
  }

  /** performance.now() at the moment the server's clock reads serverMs. */
  toLocal(serverMs) {
    return serverMs - (this.offsetMs ?? 0) - performance.timeOrigin;
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
