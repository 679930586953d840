// The tap, an AudioWorklet on the audio thread of a listener page (tap.mjs installs it; ListenTogetherPageTest's
// together.mjs reads it). It sees every rendered block of the player's output (before the volume) with its exact
// frame number, whatever the load on the page's main thread (a ScriptProcessor, on the main thread, lost and repeated
// whole blocks under load). Every 1 ms it reads which of the sender's samples is playing from the tones the sender
// sends (RampSender: three pairs, left at f, right at f + delta; each pair's phase difference gives the sample's place
// within 8 s, 250 ms and 7.8 ms, the 4 kHz tone's own phase within 0.25 ms), measured over a 4 ms Hann window: exact
// to a frame through Opus as through PCM, where a lossy codec would bend a plain ramp (Opus's encoder removes DC and
// anything below a few Hz). It hands over, per batch: valid samples (every tone at full level, the levels agreeing)
// as [frame, phase]; faded but still readable ones ("quiet") the same way; moments the level over the last 1 ms was
// fading (under half) or silent (a hard cut's two halves never dip under 3/4 of it, a fade to the seam goes to
// zero); and frames the audio clock skipped without rendering them (the browser's renderer fell behind). Loaded from
// a blob URL, so it is plain script (no imports).
const BATCH = 2048;
const STEP = Math.max(1, Math.round(sampleRate / 1000));
const WINDOW = 192;
const PERIOD = 384000;
const AMPLITUDE = 0.15;
const TONES = [[8000, 8001], [16000, 16032], [32000, 33024]]; // eighths of a Hz: left, right
const LEVELS = [PERIOD, 12000, 375, 12];                      // sender frames: 8 s, 250 ms, 1/128 s, 0.25 ms
const NOMINAL_RMS = AMPLITUDE * Math.sqrt(1.5);
const weights = Array.from({ length: WINDOW }, (_, k) => 0.5 - 0.5 * Math.cos(2 * Math.PI * (k + 0.5) / WINDOW));
const weightSum = weights.reduce((a, b) => a + b);
const tables = TONES.flat().map((eighths) => {
  const cos = new Float32Array(WINDOW);
  const sin = new Float32Array(WINDOW);
  for (let k = 0; k < WINDOW; k++) {
    const angle = 2 * Math.PI * eighths / 8 * (k - WINDOW / 2 + 0.5) / sampleRate; // the context's rate
    cos[k] = weights[k] * Math.cos(angle);
    sin[k] = weights[k] * Math.sin(angle);
  }
  return { cos, sin };
});
const wrap = (x) => x - Math.round(x);
const fraction = (x) => x - Math.floor(x);
class PlayedSamplesTap extends AudioWorkletProcessor {
  constructor() {
    super();
    this.expected = -1;
    this.left = new Float32Array(2 * WINDOW);  // each sample twice: the window is always one straight run
    this.right = new Float32Array(2 * WINDOW);
    this.at = 0;
    this.filled = 0;
    this.fresh();
  }
  fresh() {
    this.heard = 0;
    this.points = [];
    this.quiet = [];
    this.fades = [];
    this.silences = [];
    this.skips = [];
    this.frames = 0;
  }
  /** The window ending at the newest sample: [frame, phase] with its level, or null where the tones do not agree. */
  read() {
    const phases = [];
    const levels = [];
    for (let j = 0; j < 6; j++) {
      const samples = j % 2 ? this.right : this.left;
      const { cos, sin } = tables[j];
      let c = 0;
      let s = 0;
      for (let k = 0, i = this.at; k < WINDOW; k++, i++) {
        c += samples[i] * cos[k];
        s += samples[i] * sin[k];
      }
      phases.push(Math.atan2(c, s) / (2 * Math.PI));
      levels.push(2 * Math.hypot(c, s) / weightSum / AMPLITUDE);
    }
    const sorted = [...levels].sort((a, b) => a - b);
    const level = (sorted[2] + sorted[3]) / 2;
    if (level < 0.1 || sorted[0] < level * 0.85 || sorted[5] > level * 1.15) return null;
    const cycles = [fraction(phases[1] - phases[0]), fraction(phases[3] - phases[2]), fraction(phases[5] - phases[4]),
      fraction(phases[4])];
    let place = cycles[0] * LEVELS[0];
    for (let l = 1; l < 4; l++) {
      const residual = wrap((cycles[l] * LEVELS[l] - place) / LEVELS[l]);
      if (Math.abs(residual) > 0.3) return null;
      place += residual * LEVELS[l];
    }
    return { phase: fraction(place / PERIOD), level };
  }
  process(inputs) {
    const input = inputs[0];
    const left = input[0];
    const right = input[1];
    const frames = left ? left.length : 128;
    if (this.expected >= 0 && currentFrame !== this.expected) this.skips.push(this.expected, currentFrame);
    this.expected = currentFrame + frames;
    for (let k = 0; k < frames; k++) {
      const l = left ? left[k] : 0;
      const r = right ? right[k] : 0;
      this.left[this.at] = this.left[this.at + WINDOW] = l;
      this.right[this.at] = this.right[this.at + WINDOW] = r;
      this.at = (this.at + 1) % WINDOW;
      this.filled++;
      const frame = currentFrame + k;
      if ((frame + 1) % STEP !== 0 || this.filled < WINDOW) continue;
      let squares = 0;
      for (let i = this.at + WINDOW - STEP; i < this.at + WINDOW; i++) squares += this.left[i] * this.left[i];
      const gain = Math.sqrt(squares / STEP) / NOMINAL_RMS;
      if (gain <= 0.03) this.silences.push(frame);
      else if (gain < 0.5) this.fades.push(frame);
      const heard = this.read();
      if (heard === null) continue;
      const centre = frame - WINDOW / 2 + 0.5;
      if (heard.level > 0.9 && heard.level < 1.1) this.points.push(centre, heard.phase);
      else this.quiet.push(centre, heard.phase);
    }
    this.frames += frames;
    // Sound that stops is handed over at once: the page closes its audio soon after its last sample (the end).
    const sounding = this.points.length + this.quiet.length + this.fades.length > this.heard;
    this.heard = this.points.length + this.quiet.length + this.fades.length;
    if (this.frames >= BATCH || (this.wasSounding && !sounding)) {
      this.port.postMessage({ points: this.points, quiet: this.quiet, fades: this.fades, silences: this.silences,
        skips: this.skips });
      this.fresh();
    }
    this.wasSounding = sounding;
    return true;
  }
}
registerProcessor('played-samples-tap', PlayedSamplesTap);
