// Plays the session's chunks with the Web Audio API: each chunk (base64 float32, little-endian, interleaved) becomes
// an AudioBuffer scheduled to start exactly where the previous one ends, so consecutive chunks join without a
// click. A small lead (the jitter buffer) absorbs uneven arrival; when a chunk comes too late to join on, the
// player counts an underrun, plays silence meanwhile and starts again one lead ahead: silence, never a stall.

const LEAD_SECONDS = 0.35;      // how far ahead of the audio clock a (re)start schedules
const MAX_AHEAD_SECONDS = 1.2;  // beyond this, incoming audio is dropped to stay near live
const FADE_SECONDS = 0.004;     // a fade-in after a restart, so the jump from silence does not click

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Decodes a chunk's base64 payload into interleaved float32 samples. */
export function decodeSamples(base64) {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  if (littleEndian) return new Float32Array(bytes.buffer, 0, bytes.length >> 2);
  const view = new DataView(bytes.buffer);
  const samples = new Float32Array(bytes.length >> 2);
  for (let i = 0; i < samples.length; i++) samples[i] = view.getFloat32(i * 4, true);
  return samples;
}

export class AudioPlayer {
  constructor() {
    this.context = null;
    this.gain = null;
    this.volume = 0.8;
    this.nextStart = 0;
    this.scheduled = [];        // {start, end, sequence, timestamp}: what is queued or playing, oldest first
    this.stats = { chunksScheduled: 0, chunksPlayed: 0, chunksDropped: 0, underruns: 0, lastSequence: -1 };
  }

  get started() {
    return this.context !== null;
  }

  /** Must run inside a user gesture (the Listen button): browsers only let a page start audio then. */
  async start() {
    this.context = new AudioContext({ latencyHint: 'playback' });
    this.gain = this.context.createGain();
    this.gain.gain.value = this.volume;
    this.gain.connect(this.context.destination);
    await this.context.resume();
  }

  async stop() {
    const context = this.context;
    this.context = null;
    this.scheduled = [];
    this.nextStart = 0;
    if (context) await context.close();
  }

  setVolume(volume) {
    this.volume = volume;
    if (this.gain) this.gain.gain.setTargetAtTime(volume, this.context.currentTime, 0.02);
  }

  /** Queues one chunk; chunks arrive in sequence order (the stream guarantees it). */
  play(chunk) {
    if (!this.context || chunk.sequenceNumber <= this.stats.lastSequence) return;
    this.stats.lastSequence = chunk.sequenceNumber;
    const channels = Math.max(1, chunk.channels | 0);
    const samples = decodeSamples(chunk.data);
    const frames = Math.floor(samples.length / channels);
    if (frames === 0) return;
    const now = this.context.currentTime;
    this.#forgetFinished(now);

    let restart = false;
    if (this.nextStart < now + 0.01) {
      // Nothing queued that this chunk could follow: the first chunk, or the previous one ran out (an underrun).
      if (this.stats.chunksScheduled > 0) this.stats.underruns++;
      this.nextStart = now + LEAD_SECONDS;
      restart = true;
    } else if (this.nextStart - now > MAX_AHEAD_SECONDS) {
      // A burst (a reconnect's backlog) or a sender clock running fast: skip this chunk rather than drift behind.
      this.stats.chunksDropped++;
      return;
    }

    const buffer = this.context.createBuffer(channels, frames, chunk.sampleRate);
    for (let channel = 0; channel < channels; channel++) {
      const out = buffer.getChannelData(channel);
      for (let frame = 0, i = channel; frame < frames; frame++, i += channels) out[frame] = samples[i];
      if (restart) fadeIn(out, Math.min(frames, Math.round(FADE_SECONDS * chunk.sampleRate)));
    }
    const source = this.context.createBufferSource();
    source.buffer = buffer;
    source.connect(this.gain);
    source.onended = () => { this.stats.chunksPlayed++; };
    source.start(this.nextStart);
    const entry = { start: this.nextStart, end: this.nextStart + buffer.duration, sequence: chunk.sequenceNumber,
      timestamp: chunk.timestamp };
    this.scheduled.push(entry);
    this.nextStart = entry.end;
    this.stats.chunksScheduled++;
  }

  /** Seconds of audio queued ahead of what is heard now. */
  bufferedSeconds() {
    return this.context ? Math.max(0, this.nextStart - this.context.currentTime) : 0;
  }

  /** True while the player waits for audio: nothing queued, or only the start-up lead. */
  isBuffering() {
    if (!this.context) return false;
    const now = this.context.currentTime;
    return !this.scheduled.some((entry) => entry.start <= now && now < entry.end);
  }

  /**
   * What is heard now: the chunk's sequence number, and the sender's clock at this very sample (the chunk's
   * timestamp plus how far into it playback is), or null when nothing plays.
   */
  audible() {
    if (!this.context) return null;
    const now = this.context.currentTime;
    this.#forgetFinished(now);
    const entry = this.scheduled.find((candidate) => candidate.start <= now && now < candidate.end);
    if (!entry) return null;
    const senderTime = typeof entry.timestamp === 'number' ? entry.timestamp + (now - entry.start) * 1000 : null;
    return { sequence: entry.sequence, senderTime };
  }

  #forgetFinished(now) {
    while (this.scheduled.length > 0 && this.scheduled[0].end <= now) this.scheduled.shift();
  }
}

function fadeIn(samples, length) {
  for (let i = 0; i < length; i++) samples[i] *= i / length;
}
