// The server's clock as this page sees it, from NTP-style round trips to GET /api/clock: the server read its clock
// somewhere inside the round trip, so the estimate is its answer against the round trip's middle, give or take half
// the round trip. Round trips that took long say little (the request or the answer waited somewhere), so only the
// quickest few of the recent ones count (NTP's clock filter), and of those the median offset (Snapcast's filter): one
// slow or odd answer cannot move the estimate. The round trip's ends are the network's own times (Resource Timing: when the request
// left, when the answer's first byte came), not when this page's main thread got round to them: on a busy page
// those differ by many milliseconds, and not evenly, which would shift the estimate.

const KEPT = 30;              // recent round trips remembered
const QUICKEST = 3;           // the quickest few carry the tightest bounds; the median of three outvotes an odd one
const FIRST_SAMPLES = 7;      // taken back to back before playing, so the first estimate is already filtered
// then quickly until KEPT are remembered, so the estimate settles within seconds: on a loaded machine the first
// round trips are slow and lopsided, and two pages that started on them were 5-10 ms apart for their first 3-4 s
// (ListenTogetherPageTest) while every 500 ms brought one more chance of a quick one
const SETTLING_EVERY_MS = 100;
const EVERY_MS = 2000;        // then one every two seconds follows drift between the two clocks
// Listening starts on an estimate from at least this many round trips (the first ones, taken while the page loads,
// are the slowest: measured under load, a page that started on 7 was 10-20 ms off for several seconds).
const SETTLED_SAMPLES = 10;

export class ServerClock {
  constructor(base) {
    this.url = `${base}api/clock`;
    this.samples = [];
    this.offsetMs = null;     // server clock minus this page's clock (performance.timeOrigin + performance.now())
    this.roundTripMs = null;  // the median round trip of the samples in use
    this.timer = null;
    this.taken = 0;
  }

  get ready() {
    return this.offsetMs !== null;
  }

  /** Takes the first round trips, then keeps sampling in the background. */
  async start() {
    for (let i = 0; i < FIRST_SAMPLES; i++) {
      try { await this.sample(); } catch { /* the stream reports connection trouble; try the next */ }
    }
    if (this.timer === null) this.#next();
  }

  /** Resolves once SETTLED_SAMPLES round trips are held, or after maxMs (a slow or failing network). */
  async settled(maxMs) {
    const until = performance.now() + maxMs;
    while (this.taken < SETTLED_SAMPLES && performance.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  stop() {
    clearTimeout(this.timer);
    this.timer = null;
  }

  #next() {
    this.timer = setTimeout(() => {
      this.sample().catch(() => {}).finally(() => { if (this.timer !== null) this.#next(); });
    }, this.taken < KEPT ? SETTLING_EVERY_MS : EVERY_MS);
  }

  async sample() {
    const url = new URL(`${this.url}?n=${++this.taken}`, location.href).href; // its own Resource Timing entry
    const sent = performance.now();
    const response = await fetch(url, { cache: 'no-store' });
    const { serverTime } = await response.json();
    const received = performance.now();
    const timing = performance.getEntriesByName(url).pop();
    performance.clearResourceTimings(); // the buffer holds 250 entries, and nothing else on the page reads them
    if (typeof serverTime !== 'number') return;
    const network = timing && timing.requestStart > 0 && timing.responseStart >= timing.requestStart;
    const [start, end] = network ? [timing.requestStart, timing.responseStart] : [sent, received];
    const middle = performance.timeOrigin + (start + end) / 2;
    this.samples.push({ offset: serverTime - middle, roundTrip: end - start });
    if (this.samples.length > KEPT) this.samples.shift();
    const quickest = [...this.samples].sort((a, b) => a.roundTrip - b.roundTrip).slice(0, QUICKEST);
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
