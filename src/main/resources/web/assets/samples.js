// A chunk's samples: base64 of little-endian float32, interleaved by channel, as the sender posts them.

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

/** The frames a chunk's base64 payload holds, counted without decoding it. */
export function encodedFrames(base64, channels) {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  const bytes = (base64.length / 4) * 3 - padding;
  return Math.floor(bytes / 4 / Math.max(1, channels));
}

/** A chunk's samples as one Float32Array per channel (frames long), from its interleaved base64 payload. */
export function decodeChannels(base64, channels, frames) {
  const samples = decodeSamples(base64);
  const planes = [];
  for (let channel = 0; channel < channels; channel++) {
    const plane = new Float32Array(frames);
    for (let frame = 0, i = channel; frame < frames; frame++, i += channels) plane[frame] = samples[i];
    planes.push(plane);
  }
  return planes;
}
