// The session's push stream (Server-Sent Events), read with fetch rather than EventSource: fetch can send the token
// in the Authorization header (so it never lands in a URL or an access log) and sees the HTTP status, which tells
// "not found" from "access denied" from a network drop.

const RETRY_FIRST_MS = 250;   // a node going away asks for a quick reconnect
const RETRY_MAX_MS = 5000;    // the back-off stops doubling here

/** Thrown for answers that reconnecting cannot fix. */
export class StreamRefused extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/**
 * Follows one session's events until it ends. Calls onEvent(name, data, size) for every event (size: the characters
 * of its data, what it cost on the wire); after a drop it reconnects with since=<last sequence number received>, so
 * no audio is replayed or skipped (the server says "gap" if it can no longer fill the hole). With codec 'opus' the
 * audio events carry Opus frames (the README's "Opus push"), the last of them ({"last": true}) without a sequence
 * number. onState('connected') comes at the start of every connection: an Opus decoder starts afresh there.
 */
export class PushStream {
  constructor({ base, sessionId, token, listenerId, codec = 'pcm', headers = () => ({}), onEvent, onState }) {
    this.url = `${base}api/share/${sessionId}/events`;
    this.codec = codec;
    this.token = token;
    this.listenerId = listenerId;
    this.headers = headers;
    this.onEvent = onEvent;
    this.onState = onState;
    this.lastSequence = -1;
    this.closed = false;
    this.retries = 0;
    this.stalledUntil = 0;    // performance.now() before which no connection is made (see stall)
  }

  async run() {
    while (!this.closed) {
      const stalled = this.stalledUntil - performance.now();
      if (stalled > 0) await new Promise((resolve) => setTimeout(resolve, stalled));
      let ended = false;
      try {
        ended = await this.#connectOnce();
        this.retries = 0;
      } catch (error) {
        if (error instanceof StreamRefused) throw error;
        if (this.closed) return;
      }
      if (ended || this.closed) return;
      this.onState('reconnecting');
      const delay = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** this.retries++);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  close() {
    this.closed = true;
    this.controller?.abort();
  }

  /**
   * Drops the connection and stays away for ms, then resumes with since, as after a network stall. The page offers
   * it only behind its ?debug flag (for tests: a browser's offline switch does not reliably cut a live stream).
   */
  stall(ms) {
    this.stalledUntil = performance.now() + ms;
    this.controller?.abort();
  }

  /** Drops the connection and resumes at once (with since), e.g. to send new headers. */
  reconnect() {
    this.retries = 0;
    this.controller?.abort();
  }

  /** One connection; resolves true when the session ended, false when the stream dropped and should resume. */
  async #connectOnce() {
    this.controller = new AbortController();
    const codec = this.codec === 'pcm' ? '' : `&codec=${this.codec}`;
    const response = await fetch(`${this.url}?since=${this.lastSequence}${codec}`, {
      headers: { Authorization: `Bearer ${this.token}`, Accept: 'text/event-stream', 'X-Listener-Id': this.listenerId,
        ...this.headers() },
      cache: 'no-store',
      signal: this.controller.signal,
    });
    if (!response.ok) {
      let body = {};
      try { body = await response.json(); } catch { /* not JSON: keep the status */ }
      if (response.status === 401 || response.status === 403 || response.status === 404 || response.status === 400) {
        throw new StreamRefused(response.status, body.code, body.error ?? response.statusText);
      }
      return false; // 429, 503: retry
    }
    this.onState('connected');
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let pending = '';
    let event = { name: 'message', data: [] };
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return false;
      pending += value;
      let newline;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline).replace(/\r$/, '');
        pending = pending.slice(newline + 1);
        if (line === '') {
          if (event.data.length > 0 && this.#dispatch(event.name, event.data.join('\n'))) return true;
          event = { name: 'message', data: [] };
        } else if (line.startsWith('event:')) {
          event.name = line.slice(6).trim();
        } else if (line.startsWith('data:')) {
          event.data.push(line.slice(5).replace(/^ /, ''));
        }
        // "id:" is the audio sequence number, also in the data; ":" lines are heartbeats.
      }
    }
  }

  /** Hands one event on; true when it ends the session. */
  #dispatch(name, text) {
    const data = JSON.parse(text);
    if (name === 'audio' && typeof data.sequenceNumber === 'number') { // Opus's last frames carry none
      if (data.sequenceNumber <= this.lastSequence) return false; // never twice, even across a reconnect
      this.lastSequence = data.sequenceNumber;
    }
    this.onEvent(name, data, text.length);
    if (name === 'reconnect') this.controller.abort();
    return name === 'ended';
  }
}
