import { BakeError } from '../BakeError.ts';
import { decodeWavFrames, parseWavHeader, WavHeaderError, type WavSampleFormat } from '@mixroom/shared/wav';
import { truncatedStemError } from './truncatedStemError.ts';
import type { StemInfo } from './StemSource.ts';

/** Refuse absurd header chunks (a corrupt size field must not make us buffer gigabytes). */
const MAX_HEADER_CHUNK = 1 << 20;

export interface WavHeader extends StemInfo {
  format: WavSampleFormat;
  bytesPerFrame: number;
  /** Byte offset of the first sample from the start of what was pushed (the file's start). */
  dataOffset: number;
}

/**
 * Incremental RIFF/WAVE parser: push byte chunks as they arrive from S3 or disk, get planar
 * Float32 blocks out. Holds at most one partial frame plus the header in memory, so a
 * four-hour stem costs the same as a four-second one. Integer PCM is scaled as Web Audio's
 * decodeAudioData does (x / 2^(bits-1)) so browser and bake read the same numbers.
 */
export class WavStreamDecoder {
  header: WavHeader | null = null;
  private pending: Uint8Array = new Uint8Array(0);
  private dataRemaining = 0;
  private framesOut = 0;
  private dataBytesOut = 0;
  private readonly label: string;

  constructor(label: string) {
    this.label = label;
  }

  /** Feeds bytes; returns the blocks they completed (at most one, possibly none). */
  push(chunk: Uint8Array): Float32Array[][] {
    const buf = this.pastHeader(chunk);
    if (buf === null) return [];
    const h = this.header!;
    const bpf = h.bytesPerFrame;
    // Bytes after the data chunk (LIST/id3 trailers) are ignored.
    const carried = this.pending.length;
    const available = Math.min(carried + buf.length, this.dataRemaining);
    const frames = Math.floor(available / bpf);
    if (frames === 0) {
      this.pending = concat(this.pending, buf.subarray(0, Math.max(0, available - carried)));
      return [];
    }
    const out: Float32Array[] = [];
    for (let c = 0; c < h.channels; c++) out.push(new Float32Array(frames));
    let at = 0;
    let from = 0;
    if (carried > 0) {
      // The frame that straddles two chunks: complete it from a tiny buffer instead of
      // copying the whole new chunk behind the leftover bytes.
      const one = new Uint8Array(bpf);
      one.set(this.pending, 0);
      from = bpf - carried;
      one.set(buf.subarray(0, from), carried);
      decodeWavFrames(one, h.format, 1, out, 0);
      at = 1;
    }
    const bytes = (frames - at) * bpf;
    if (bytes > 0) decodeWavFrames(buf.subarray(from, from + bytes), h.format, frames - at, out, at);
    const used = from + bytes;
    this.dataRemaining -= frames * bpf;
    this.framesOut += frames;
    const rest = Math.min(buf.length - used, this.dataRemaining);
    this.pending = rest > 0 ? buf.slice(used, used + rest) : new Uint8Array(0);
    return [out];
  }

  /**
   * Feeds bytes; returns the part of them that is sample data (interleaved, still encoded;
   * a view of `chunk`, not a copy), or null when they held none. Use either this or push()
   * on one decoder. Whole frames are not guaranteed per chunk, only in total.
   */
  pushData(chunk: Uint8Array): Uint8Array | null {
    const buf = this.pastHeader(chunk);
    if (buf === null) return null;
    // Bytes after the data chunk (LIST/id3 trailers) are ignored.
    const take = Math.min(buf.length, this.dataRemaining);
    if (take === 0) return null;
    this.dataRemaining -= take;
    this.dataBytesOut += take;
    this.framesOut = Math.floor(this.dataBytesOut / this.header!.bytesPerFrame);
    return buf.subarray(0, take);
  }

  /** Call at end of input: throws unless the whole data chunk arrived. */
  end(): void {
    if (this.header === null) {
      throw new BakeError('stem-corrupt', `${this.label}: not a WAV file (no complete RIFF/WAVE header with fmt and data chunks).`);
    }
    if (this.dataRemaining > 0) throw truncatedStemError(this.label, this.framesOut, this.header.frames, this.header.sampleRate);
  }

  /** The bytes of `chunk` after the header, once the header is complete; null while it is not (they are kept). */
  private pastHeader(chunk: Uint8Array): Uint8Array | null {
    if (this.header !== null) return chunk;
    const buf = this.pending.length === 0 ? chunk : concat(this.pending, chunk);
    this.pending = new Uint8Array(0);
    const consumed = this.parseHeader(buf);
    if (consumed < 0) {
      this.pending = buf.slice();
      return null;
    }
    return buf.subarray(consumed);
  }

  /** Returns bytes consumed through the start of the data payload, or -1 if more input is needed. */
  private parseHeader(buf: Uint8Array): number {
    let h: ReturnType<typeof parseWavHeader>;
    try {
      h = parseWavHeader(buf, { maxChunkBytes: MAX_HEADER_CHUNK });
    } catch (error) {
      if (!(error instanceof WavHeaderError)) throw error;
      if (error.problem === 'not-wav') throw new BakeError('stem-format', `${this.label}: ${error.message}.`);
      if (error.problem === 'data-before-fmt') throw new BakeError('stem-corrupt', `${this.label}: WAV data chunk comes before its fmt chunk.`);
      if (error.problem === 'fmt-too-short') throw new BakeError('stem-corrupt', `${this.label}: WAV fmt chunk is too short.`);
      throw new BakeError('stem-corrupt', `${this.label}: ${error.message}.`);
    }
    if ('pending' in h) return -1;
    const { formatTag, channels, sampleRate, blockAlign, bitsPerSample: bits, sampleFormat: format } = h;
    if (format === null) {
      throw new BakeError('stem-format', `${this.label}: unsupported WAV encoding (format tag ${formatTag}, ${bits} bits).`);
    }
    if (channels < 1 || channels > 2 || sampleRate < 8000 || sampleRate > 384000) {
      throw new BakeError('stem-format', `${this.label}: unsupported WAV layout (${channels} channels at ${sampleRate} Hz).`);
    }
    const bytesPerFrame = channels * (bits / 8);
    if (blockAlign !== bytesPerFrame) {
      throw new BakeError('stem-corrupt', `${this.label}: WAV block align ${blockAlign} does not match ${channels} x ${bits} bits.`);
    }
    this.header = { format, channels, sampleRate, bytesPerFrame, frames: Math.floor(h.dataBytes / bytesPerFrame), dataOffset: h.dataOffset };
    this.dataRemaining = this.header.frames * bytesPerFrame;
    return h.dataOffset;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
