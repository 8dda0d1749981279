import { BakeError } from '../BakeError.ts';
import { decodeWavFrames, type SampleFormat } from './decodeWavFrames.ts';
import { truncatedStemError } from './truncatedStemError.ts';
import type { StemInfo } from './StemSource.ts';


const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_IEEE_FLOAT = 3;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
/** Refuse absurd header chunks (a corrupt size field must not make us buffer gigabytes). */
const MAX_HEADER_CHUNK = 1 << 20;

export interface WavHeader extends StemInfo {
  format: SampleFormat;
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
    let buf = chunk;
    if (this.header === null) {
      buf = this.pending.length === 0 ? chunk : concat(this.pending, chunk);
      this.pending = new Uint8Array(0);
      const consumed = this.parseHeader(buf);
      if (consumed < 0) {
        this.pending = buf.slice();
        return [];
      }
      buf = buf.subarray(consumed);
    }
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
    let buf = chunk;
    if (this.header === null) {
      buf = this.pending.length === 0 ? chunk : concat(this.pending, chunk);
      this.pending = new Uint8Array(0);
      const consumed = this.parseHeader(buf);
      if (consumed < 0) {
        this.pending = buf.slice();
        return null;
      }
      buf = buf.subarray(consumed);
    }
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

  /** Returns bytes consumed through the start of the data payload, or -1 if more input is needed. */
  private parseHeader(buf: Uint8Array): number {
    if (buf.length < 12) return -1;
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const riff = ascii(buf, 0);
    if ((riff !== 'RIFF' && riff !== 'RF64') || ascii(buf, 8) !== 'WAVE') {
      throw new BakeError('stem-format', `${this.label}: not a WAV file (expected RIFF/WAVE, found "${riff}").`);
    }
    let pos = 12;
    let fmt: Omit<WavHeader, 'frames' | 'dataOffset'> | null = null;
    let ds64DataSize: number | null = null;
    for (;;) {
      if (buf.length < pos + 8) return -1;
      const id = ascii(buf, pos);
      const size = view.getUint32(pos + 4, true);
      if (id === 'data') {
        if (fmt === null) throw new BakeError('stem-corrupt', `${this.label}: WAV data chunk comes before its fmt chunk.`);
        const dataBytes = size === 0xffffffff && ds64DataSize !== null ? ds64DataSize : size;
        this.header = { ...fmt, frames: Math.floor(dataBytes / fmt.bytesPerFrame), dataOffset: pos + 8 };
        this.dataRemaining = this.header.frames * fmt.bytesPerFrame;
        return pos + 8;
      }
      if (size > MAX_HEADER_CHUNK) {
        throw new BakeError('stem-corrupt', `${this.label}: WAV header chunk "${id}" claims ${size} bytes.`);
      }
      const padded = size + (size & 1);
      if (buf.length < pos + 8 + padded) return -1;
      if (id === 'fmt ') fmt = this.parseFmt(view, pos + 8, size);
      if (id === 'ds64' && size >= 16) ds64DataSize = Number(view.getBigUint64(pos + 16, true));
      pos += 8 + padded;
    }
  }

  private parseFmt(view: DataView, at: number, size: number): Omit<WavHeader, 'frames' | 'dataOffset'> {
    if (size < 16) throw new BakeError('stem-corrupt', `${this.label}: WAV fmt chunk is too short.`);
    let tag = view.getUint16(at, true);
    const channels = view.getUint16(at + 2, true);
    const sampleRate = view.getUint32(at + 4, true);
    const blockAlign = view.getUint16(at + 12, true);
    const bits = view.getUint16(at + 14, true);
    if (tag === WAVE_FORMAT_EXTENSIBLE && size >= 40) tag = view.getUint16(at + 24, true);
    const format = sampleFormat(tag, bits);
    if (format === null) {
      throw new BakeError('stem-format', `${this.label}: unsupported WAV encoding (format tag ${tag}, ${bits} bits).`);
    }
    if (channels < 1 || channels > 2 || sampleRate < 8000 || sampleRate > 384000) {
      throw new BakeError('stem-format', `${this.label}: unsupported WAV layout (${channels} channels at ${sampleRate} Hz).`);
    }
    const bytesPerFrame = channels * (bits / 8);
    if (blockAlign !== bytesPerFrame) {
      throw new BakeError('stem-corrupt', `${this.label}: WAV block align ${blockAlign} does not match ${channels} x ${bits} bits.`);
    }
    return { format, channels, sampleRate, bytesPerFrame };
  }
}

function sampleFormat(tag: number, bits: number): SampleFormat | null {
  if (tag === WAVE_FORMAT_PCM) {
    if (bits === 8) return 'pcm8';
    if (bits === 16) return 'pcm16';
    if (bits === 24) return 'pcm24';
    if (bits === 32) return 'pcm32';
  }
  if (tag === WAVE_FORMAT_IEEE_FLOAT) {
    if (bits === 32) return 'float32';
    if (bits === 64) return 'float64';
  }
  return null;
}

function ascii(buf: Uint8Array, at: number): string {
  return String.fromCharCode(buf[at]!, buf[at + 1]!, buf[at + 2]!, buf[at + 3]!);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
