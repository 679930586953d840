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
