import type { DecodedAudio } from './DecodedAudio.ts';
import type { DecodeLimits } from './DecodeLimits.ts';
import { checkDeclaredLength } from './checkDeclaredLength.ts';
import { ApiError } from '../http/ApiError.ts';

/** IEEE 754 80-bit extended (big-endian), as AIFF stores its sample rate. */
function readExtended(view: DataView, at: number): number {
  const exponent = view.getUint16(at) & 0x7fff;
  const hi = view.getUint32(at + 2);
  const lo = view.getUint32(at + 6);
  if (exponent === 0 && hi === 0 && lo === 0) return 0;
  return (hi * 2 ** 32 + lo) * 2 ** (exponent - 16383 - 63);
}

/**
 * Decodes AIFF / AIFF-C with `@audio/decode-aiff`. The header walk checks what the
 * library does not: the declared shape is accepted and the declared frame count is really
 * present (truncation) and within limits before decoding; the library then allocates and
 * decodes exactly the declared frames (never more than COMM says).
 */
export async function decodeAiff(bytes: Uint8Array, limits: DecodeLimits): Promise<DecodedAudio> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const isAifc = String.fromCharCode(...bytes.subarray(8, 12)) === 'AIFC';
  let comm: { channels: number; frames: number; bits: number; sampleRate: number; compression: string } | null = null;
  let ssnd: { dataBytes: number } | null = null;
  let at = 12;
  while (at + 8 <= bytes.length) {
    const id = String.fromCharCode(...bytes.subarray(at, at + 4));
    const size = view.getUint32(at + 4);
    if (id === 'COMM') {
      if (size < 18 || at + 8 + size > bytes.length) throw new ApiError('corrupt', 'The AIFF file has a damaged COMM chunk.');
      comm = {
        channels: view.getUint16(at + 8),
        frames: view.getUint32(at + 10),
        bits: view.getUint16(at + 14),
        sampleRate: readExtended(view, at + 16),
        compression: isAifc && size >= 22 ? String.fromCharCode(...bytes.subarray(at + 26, at + 30)) : 'NONE',
      };
    } else if (id === 'SSND') {
      const offset = at + 16 <= bytes.length ? view.getUint32(at + 8) : 0;
      const available = bytes.length - (at + 16 + offset);
      const declared = size - 8 - offset;
      if (available < declared) {
        throw new ApiError('truncated', `The AIFF file is truncated: its audio data ends ${declared - available} bytes early.`);
      }
      ssnd = { dataBytes: declared };
    }
    at += 8 + size + (size & 1);
  }
  if (!comm) throw new ApiError('corrupt', 'The AIFF file has no COMM chunk.');
  if (!ssnd) throw new ApiError('truncated', 'The AIFF file has no sound data (no SSND chunk): it is truncated or damaged.');
  const sampleRate = Math.round(comm.sampleRate);
  limits.accept?.({ sampleRate, channels: comm.channels });
  checkDeclaredLength(comm.frames, sampleRate, comm.channels, limits);
  const compression = comm.compression.trim();
  const pcm = compression === 'NONE' || compression === 'twos' || compression === 'sowt';
  const float = compression === 'fl32' || compression === 'fl64' || compression === 'FL32';
  if (!pcm && !float) {
    throw new ApiError('unsupported-format', `AIFF-C compression "${compression}" is not supported. Use uncompressed AIFF.`);
  }
  if (pcm && comm.bits * comm.channels * comm.frames > ssnd.dataBytes * 8) {
    throw new ApiError('truncated', 'The AIFF file is truncated: it holds fewer frames than its header declares.');
  }
  let decoded: { channelData: Float32Array[]; sampleRate: number };
  const { default: decodeAiffBytes } = await import('@audio/decode-aiff');
  try {
    decoded = decodeAiffBytes(bytes);
  } catch (cause) {
    throw new ApiError('corrupt', `The AIFF file could not be decoded: ${(cause as Error).message}`, { cause });
  }
  const frames = decoded.channelData[0]?.length ?? 0;
  if (decoded.channelData.length !== comm.channels || frames < comm.frames) {
    throw new ApiError('corrupt', 'The AIFF file decoded to fewer samples than its header declares.');
  }
  return {
    format: 'aiff',
    encoding: float ? `IEEE float ${comm.bits}-bit` : `PCM ${comm.bits}-bit`,
    bitDepth: comm.bits,
    float,
    sampleRate,
    channelData: decoded.channelData.map((c) => (c.length === comm.frames ? c : c.subarray(0, comm.frames))),
    frames: comm.frames,
  };
}
