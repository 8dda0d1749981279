import type { WavSampleFormat } from './WavSampleFormat.ts';

/** Typed-array views need aligned offsets; stream chunks come at any offset, so copy when needed. */
function aligned(bytes: Uint8Array, align: number): Uint8Array {
  if (bytes.byteOffset % align === 0) return bytes;
  // Not bytes.slice(): on a Node Buffer (S3 and fs chunks) slice is a view at the same offset.
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return copy;
}

/**
 * Decodes `frames` interleaved frames of `format` from `bytes` into the planar `out` channels
 * starting at frame `at`. Integer PCM is scaled as Web Audio's decodeAudioData does
 * (x / 2^(bits-1)), so the browser, the stem check and the bake read the same numbers.
 */
export function decodeWavFrames(bytes: Uint8Array, format: WavSampleFormat, frames: number, out: readonly Float32Array[], at: number): void {
  const ch = out.length;
  switch (format) {
    case 'float32': {
      const b = aligned(bytes, 4);
      const src = new Float32Array(b.buffer, b.byteOffset, frames * ch);
      if (ch === 2) {
        // Stereo in one sequential pass (the common stem): about twice as fast as two strided ones.
        const l = out[0]!;
        const r = out[1]!;
        for (let i = at, j = 0; i < at + frames; i++, j += 2) {
          l[i] = src[j]!;
          r[i] = src[j + 1]!;
        }
        break;
      }
      for (let c = 0; c < ch; c++) {
        const dst = out[c]!;
        for (let i = at, j = c; i < at + frames; i++, j += ch) dst[i] = src[j]!;
      }
      break;
    }
    case 'float64': {
      const b = aligned(bytes, 8);
      const src = new Float64Array(b.buffer, b.byteOffset, frames * ch);
      for (let c = 0; c < ch; c++) {
        const dst = out[c]!;
        for (let i = at, j = c; i < at + frames; i++, j += ch) dst[i] = src[j]!;
      }
      break;
    }
    case 'pcm16': {
      const b = aligned(bytes, 2);
      const src = new Int16Array(b.buffer, b.byteOffset, frames * ch);
      if (ch === 2) {
        const l = out[0]!;
        const r = out[1]!;
        for (let i = at, j = 0; i < at + frames; i++, j += 2) {
          l[i] = src[j]! / 32768;
          r[i] = src[j + 1]! / 32768;
        }
        break;
      }
      for (let c = 0; c < ch; c++) {
        const dst = out[c]!;
        for (let i = at, j = c; i < at + frames; i++, j += ch) dst[i] = src[j]! / 32768;
      }
      break;
    }
    case 'pcm32': {
      const b = aligned(bytes, 4);
      const src = new Int32Array(b.buffer, b.byteOffset, frames * ch);
      for (let c = 0; c < ch; c++) {
        const dst = out[c]!;
        for (let i = at, j = c; i < at + frames; i++, j += ch) dst[i] = src[j]! / 2147483648;
      }
      break;
    }
    case 'pcm24': {
      if (ch === 2) {
        const l = out[0]!;
        const r = out[1]!;
        for (let i = at, p = 0; i < at + frames; i++, p += 6) {
          const a = bytes[p]! | (bytes[p + 1]! << 8) | (bytes[p + 2]! << 16);
          const b = bytes[p + 3]! | (bytes[p + 4]! << 8) | (bytes[p + 5]! << 16);
          l[i] = ((a << 8) >> 8) / 8388608;
          r[i] = ((b << 8) >> 8) / 8388608;
        }
        break;
      }
      for (let c = 0; c < ch; c++) {
        const dst = out[c]!;
        for (let i = at, p = c * 3; i < at + frames; i++, p += ch * 3) {
          const v = bytes[p]! | (bytes[p + 1]! << 8) | (bytes[p + 2]! << 16);
          dst[i] = ((v << 8) >> 8) / 8388608;
        }
      }
      break;
    }
    case 'pcm8': {
      for (let c = 0; c < ch; c++) {
        const dst = out[c]!;
        for (let i = at, p = c; i < at + frames; i++, p += ch) dst[i] = (bytes[p]! - 128) / 128;
      }
      break;
    }
  }
}
