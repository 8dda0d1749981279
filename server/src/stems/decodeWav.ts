import { createRequire } from 'node:module';

// wavefile's CommonJS build is minified past Node's named-export detection; its ESM entry
// is not exposed to Node. Loading it through require works under Node, tsx and vitest.
const { WaveFile } = createRequire(import.meta.url)('wavefile') as typeof import('wavefile');
import type { DecodedAudio } from './DecodedAudio.ts';
import type { DecodeLimits } from './DecodeLimits.ts';
import { checkDeclaredLength } from './checkDeclaredLength.ts';
import { ApiError } from '../http/ApiError.ts';

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_IEEE_FLOAT = 3;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

/**
 * Decodes WAV (PCM 16/24/32-bit, IEEE float 32/64-bit, plain or WAVE_FORMAT_EXTENSIBLE)
 * with `wavefile`. The chunk walk here only checks what the library does not: that the
 * data chunk is really all there (a cut-off upload parses "fine" otherwise) and that the
 * declared shape and length are accepted before any sample is decoded. The data chunk's size
 * is the declared length: the output is sized from it (after those checks) and filled frame
 * by frame straight from the file's bytes.
 */
export function decodeWav(bytes: Uint8Array, limits: DecodeLimits): DecodedAudio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 12;
  let fmt: { format: number; channels: number; sampleRate: number; blockAlign: number; bits: number } | null = null;
  let dataSize = -1;
  let dataAt = -1;
  while (at + 8 <= bytes.length) {
    const id = String.fromCharCode(...bytes.subarray(at, at + 4));
    const size = view.getUint32(at + 4, true);
    if (id === 'fmt ') {
      if (size < 16 || at + 8 + size > bytes.length) throw new ApiError('corrupt', 'The WAV file has a damaged format (fmt) chunk.');
      let format = view.getUint16(at + 8, true);
      if (format === WAVE_FORMAT_EXTENSIBLE && size >= 40) format = view.getUint16(at + 8 + 24, true);
      fmt = {
        format,
        channels: view.getUint16(at + 10, true),
        sampleRate: view.getUint32(at + 12, true),
        blockAlign: view.getUint16(at + 20, true),
        bits: view.getUint16(at + 22, true),
      };
    } else if (id === 'data') {
      dataSize = size;
      dataAt = at + 8;
      if (at + 8 + size > bytes.length) {
        const missing = at + 8 + size - bytes.length;
        throw new ApiError('truncated', `The WAV file is truncated: its audio data ends ${missing} bytes early.`);
      }
      break;
    }
    at += 8 + size + (size & 1);
  }
  if (!fmt) throw new ApiError('corrupt', 'The WAV file has no format (fmt) chunk.');
  if (dataSize < 0) throw new ApiError('truncated', 'The WAV file has no audio data (no data chunk): it is truncated or damaged.');
  const { format, channels, sampleRate, blockAlign, bits } = fmt;
  const pcmOk = format === WAVE_FORMAT_PCM && (bits === 16 || bits === 24 || bits === 32 || bits === 8);
  const floatOk = format === WAVE_FORMAT_IEEE_FLOAT && (bits === 32 || bits === 64);
  if (!pcmOk && !floatOk) {
    throw new ApiError(
      'unsupported-format',
      `This WAV encoding (format ${format}, ${bits}-bit) is not supported. Use PCM 16/24-bit or 32-bit float.`,
    );
  }
  if (channels < 1 || sampleRate < 1 || blockAlign !== channels * (bits / 8)) {
    throw new ApiError('corrupt', 'The WAV format chunk is inconsistent (channels, rate or block size).');
  }
  limits.accept?.({ sampleRate, channels });
  const frames = Math.floor(dataSize / blockAlign);
  checkDeclaredLength(frames, sampleRate, channels, limits);

  // wavefile validates the container (chunk layout, fmt fields) without copying the samples;
  // they are unpacked here straight from the file's bytes: its own per-sample getSamples() is
  // ~20x slower on minute-long stems.
  try {
    new WaveFile().fromBuffer(bytes, false);
  } catch (cause) {
    throw new ApiError('corrupt', `The WAV file could not be read: ${(cause as Error).message}`, { cause });
  }
  const data = bytes.subarray(dataAt, dataAt + frames * blockAlign);
  if (data.length < frames * blockAlign) throw new ApiError('truncated', 'The WAV file is truncated: its audio data is incomplete.');
  const channelData = unpackPcm(data, frames, channels, bits, floatOk);
  return {
    format: 'wav',
    encoding: floatOk ? `IEEE float ${bits}-bit` : `PCM ${bits}-bit`,
    bitDepth: bits,
    float: floatOk,
    sampleRate,
    channelData,
    frames,
  };
}

/** Interleaved little-endian PCM/float bytes to planar float32 in [-1, 1). */
function unpackPcm(data: Uint8Array, frames: number, channels: number, bits: number, float: boolean): Float32Array[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out = Array.from({ length: channels }, () => new Float32Array(frames));
  const bytes = bits / 8;
  let at = 0;
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < channels; c++, at += bytes) {
      let v: number;
      if (float) v = bits === 32 ? view.getFloat32(at, true) : view.getFloat64(at, true);
      else if (bits === 16) v = view.getInt16(at, true) / 32768;
      else if (bits === 24) v = (((data[at + 2]! << 24) | (data[at + 1]! << 16) | (data[at]! << 8)) >> 8) / 8388608;
      else if (bits === 32) v = view.getInt32(at, true) / 2147483648;
      else v = (data[at]! - 128) / 128; // 8-bit WAV is unsigned
      out[c]![i] = v;
    }
  }
  return out;
}
