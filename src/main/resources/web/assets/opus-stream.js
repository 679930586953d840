// The session's audio as Opus (the README's "Opus push"), decoded in the browser by WebCodecs' AudioDecoder into
// blocks of planar float samples that the timeline player schedules as it does PCM chunks: ~16 kB/s instead of
// ~470 kB/s of float PCM. An event's presentationTime is already that of its first decoded sample (the server
// includes the encoder's look-ahead); where the server's encoder stream starts, the event says preSkip: those
// decoded samples are the look-ahead's and are dropped (RFC 7845 section 4.2). Packets are given to the decoder
// without an OpusHead, so it drops nothing itself.
//
// One decoder follows one continuous stream. Wherever the stream does not continue sample to sample (this page
// reconnected, possibly to another node's encoder; the server said "gap"; the timeline moved because the sender
// paused), the decoder is closed and a new one starts, so no decoder state leaks across the discontinuity; the
// player fades across it as across any other.

const SAMPLE_RATE = 48000;              // Opus always decodes at 48 kHz (RFC 6716)
const FOLLOWS_WITHIN_MS = 0.5;          // an event this close to where the last one ended continues it
const DEFAULT_FRAME_MICROS = 20000;

/** Whether this browser can decode the server's Opus (WebCodecs needs a secure context: https or localhost). */
export async function canDecodeOpus() {
  if (typeof AudioDecoder !== 'function' || typeof EncodedAudioChunk !== 'function') return false;
  try {
    const { supported } = await AudioDecoder.isConfigSupported(
      { codec: 'opus', sampleRate: SAMPLE_RATE, numberOfChannels: 2 });
    return supported === true;
  } catch {
    return false;
  }
}

/** The seconds of audio in one Opus event (for the page's backlog before Listen is pressed). */
export function opusEventSeconds(event) {
  return (event.frames?.length ?? 0) * (event.frameDurationMicros || DEFAULT_FRAME_MICROS) / 1e6;
}

/**
 * Decodes Opus events in stream order and hands each event's audio on as one block:
 * {sequence, timestamp, presentation (ms, may be undefined), sampleRate, planes, follows, missedSeconds, last}.
 * Blocks come out in the order events went in, asynchronously (the decoder works off the page's main thread).
 */
export class OpusStream {
  constructor(onBlock) {
    this.onBlock = onBlock;
    this.decoder = null;
    this.retiring = new Set();  // decoders still putting out what they were given before a discontinuity
    this.pending = [];          // events given to the decoder whose audio is not all out yet, oldest first
    this.expectedNext = null;   // presentation time (ms) where the last event's audio ends
    this.lastSequence = -1;
    this.expectedTimestamp = undefined;
    this.gapPending = false;
    this.timestampMicros = 0;   // the decoder's own running timestamp; blocks are matched in order, not by it
    this.errors = 0;
  }

  /** The connection started again: the next event starts a new decoder (it may come from another node's encoder). */
  restart() {
    this.#retireDecoder();
  }

  /** The server skipped sequence numbers for this listener ("gap"): what follows does not continue the stream. */
  gap() {
    this.gapPending = true;
    this.#retireDecoder();
  }

  /** One audio event (codec "opus"), in stream order. */
  push(event) {
    const frames = event.frames ?? [];
    if (frames.length === 0) return; // a short chunk only filled the encoder's remainder
    const frameMicros = event.frameDurationMicros || DEFAULT_FRAME_MICROS;
    const presentation = typeof event.presentationTime === 'number' ? event.presentationTime : undefined;
    const continues = this.decoder !== null && this.expectedNext !== null
      && (presentation === undefined || Math.abs(presentation - this.expectedNext) <= FOLLOWS_WITHIN_MS);
    const missedSeconds = this.gapPending && presentation !== undefined && this.expectedNext !== null
      ? Math.max(0, presentation - this.expectedNext) / 1000 : 0;
    this.gapPending = false;
    if (!continues) this.#openDecoder(event.channels);
    const start = presentation ?? this.expectedNext;
    const durationMs = frames.length * frameMicros / 1000;
    this.expectedNext = start === null ? null : start + durationMs;
    const sequence = typeof event.sequenceNumber === 'number' ? event.sequenceNumber : this.lastSequence;
    this.lastSequence = sequence;
    // The sender's clock at the first decoded sample (the chunk's timestamp is that of its own first sample); the
    // last frames carry none and continue the ones before.
    const timestamp = typeof event.timestamp === 'number' ? event.timestamp - (event.leadMs ?? 0)
      : this.expectedTimestamp;
    this.expectedTimestamp = typeof timestamp === 'number' ? timestamp + durationMs : undefined;
    this.pending.push({ sequence, timestamp, presentation: start ?? undefined,
      channels: event.channels, follows: continues, missedSeconds, skip: event.preSkip ?? 0,
      padding: event.last === true ? event.padding ?? 0 : 0, last: event.last === true, expected: frames.length,
      planes: [], frames: 0, decoder: this.decoder });
    for (const frame of frames) {
      this.decoder.decode(new EncodedAudioChunk({ type: 'key', timestamp: this.timestampMicros,
        duration: frameMicros, data: base64Bytes(frame) }));
      this.timestampMicros += frameMicros;
    }
  }

  /** Resolves once every event given so far has come out as a block (the session ended: play out what is held). */
  async flush() {
    const current = this.decoder && this.decoder.state === 'configured'
      ? this.decoder.flush().catch(() => { /* closed meanwhile: its events are dropped */ }) : null;
    await Promise.all([...this.retiring, current]);
  }

  /** Listening stopped: everything still in the decoder is dropped. */
  close() {
    const decoder = this.decoder;
    this.decoder = null;
    this.pending = [];
    if (decoder && decoder.state !== 'closed') decoder.close();
    this.expectedNext = null;
    this.lastSequence = -1;
  }

  #openDecoder(channels) {
    this.#retireDecoder();
    const decoder = new AudioDecoder({
      output: (audio) => this.#output(decoder, audio),
      error: () => {
        // A packet it could not decode: the next event starts a new decoder, the player fades across the hole.
        this.errors++;
        if (this.decoder === decoder) this.decoder = null;
        this.#forget(decoder);
      },
    });
    decoder.configure({ codec: 'opus', sampleRate: SAMPLE_RATE, numberOfChannels: Math.max(1, channels | 0) });
    this.decoder = decoder;
  }

  /**
   * The decoder takes no more packets; what it was given (audio received before the discontinuity) still comes out,
   * then it is closed.
   */
  #retireDecoder() {
    const decoder = this.decoder;
    this.decoder = null;
    if (!decoder || decoder.state === 'closed') return;
    const retired = decoder.flush().catch(() => {}).finally(() => {
      if (decoder.state !== 'closed') decoder.close();
      this.#forget(decoder);
      this.retiring.delete(retired);
    });
    this.retiring.add(retired);
  }

  /** Drops the events a decoder will not complete (it failed or closed), then hands on what is complete. */
  #forget(decoder) {
    this.pending = this.pending.filter((entry) => entry.decoder !== decoder || entry.frames >= entry.expected);
    this.#handOn();
  }

  #handOn() {
    while (this.pending.length > 0 && this.pending[0].frames >= this.pending[0].expected) {
      this.onBlock(toBlock(this.pending.shift()));
    }
  }

  /** One decoded frame: added to its event; complete events go on as blocks, in the order the events came. */
  #output(decoder, audio) {
    const entry = this.pending.find((waiting) => waiting.decoder === decoder && waiting.frames < waiting.expected);
    if (!entry) {
      audio.close();
      return;
    }
    const planes = [];
    for (let channel = 0; channel < audio.numberOfChannels; channel++) {
      const plane = new Float32Array(audio.numberOfFrames);
      audio.copyTo(plane, { planeIndex: channel, format: 'f32-planar' });
      planes.push(plane);
    }
    audio.close();
    entry.planes.push(planes);
    entry.frames++;
    this.#handOn();
  }
}

/** An event's decoded frames as one block, its pre-skip and (the stream's last frames) its end padding dropped. */
function toBlock(entry) {
  const channels = entry.planes[0].length;
  const total = entry.planes.reduce((sum, planes) => sum + planes[0].length, 0);
  const skip = Math.min(entry.skip, total);
  const kept = Math.max(0, total - skip - entry.padding);
  const planes = [];
  for (let channel = 0; channel < channels; channel++) {
    const joined = new Float32Array(kept);
    let at = -skip;
    for (const frame of entry.planes) {
      const whole = frame[channel];
      const plane = whole.subarray(Math.max(0, -at), Math.max(0, Math.min(whole.length, kept - at)));
      if (plane.length > 0) joined.set(plane, Math.max(0, at));
      at += whole.length;
    }
    planes.push(joined);
  }
  const skipMs = skip * 1000 / SAMPLE_RATE;
  return { sequence: entry.sequence, sampleRate: SAMPLE_RATE, planes,
    timestamp: typeof entry.timestamp === 'number' ? entry.timestamp + skipMs : undefined,
    presentation: entry.presentation === undefined ? undefined : entry.presentation + skipMs,
    follows: entry.follows && skip === 0, missedSeconds: entry.missedSeconds, last: entry.last };
}

function base64Bytes(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
