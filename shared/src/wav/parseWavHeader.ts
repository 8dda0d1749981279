import { WAVE_FORMAT_EXTENSIBLE, wavSampleFormat, type WavSampleFormat } from './WavSampleFormat.ts';

/** What a WAV file's header says: its fmt chunk and where its data chunk is. */
export interface WavHeader {
  /** The format tag (the sub-format's for WAVE_FORMAT_EXTENSIBLE). */
  formatTag: number;
  channels: number;
  sampleRate: number;
  /** Bytes per sample frame (all channels), as declared. */
  blockAlign: number;
  bitsPerSample: number;
  /** How the samples decode; null for an encoding Mixroom does not decode. */
  sampleFormat: WavSampleFormat | null;
  /** Byte offset of frame 0 in the file. */
  dataOffset: number;
  /** The data chunk's size as declared (from ds64 in an RF64 file); the file may hold fewer bytes. */
  dataBytes: number;
}

/** Why the bytes are not a WAV header each reader accepts; readers word it for their users. */
export type WavHeaderProblem = 'not-wav' | 'data-before-fmt' | 'fmt-too-short' | 'chunk-too-large';

export class WavHeaderError extends Error {
  override readonly name = 'WavHeaderError';
  constructor(
    readonly problem: WavHeaderProblem,
    message: string,
    /** The chunk at fault (`chunk-too-large`), with its declared size. */
    readonly chunk: { id: string; size: number } | null = null,
  ) {
    super(message);
  }
}

/** The header is not all there yet: `cutChunk` is the id of the chunk the bytes end inside (null: between chunks). */
export interface WavHeaderPending {
  readonly pending: true;
  readonly cutChunk: string | null;
  /** Whether a complete fmt chunk was read before the bytes ended. */
  readonly sawFmt: boolean;
}

export interface ParseWavHeaderOptions {
  /** Refuse a chunk before the data larger than this (a corrupt size must not make a stream reader buffer gigabytes). */
  readonly maxChunkBytes?: number;
}

/**
 * Walks a RIFF or RF64 WAVE file's chunks from its first bytes up to the data chunk's header.
 * Pure and incremental: a reader that fetches or streams the file calls it again with more
 * bytes while it answers `pending`. Throws WavHeaderError for what can never become a header;
 * whether the encoding and shape are acceptable is each reader's call (see `sampleFormat`).
 */
export function parseWavHeader(bytes: Uint8Array, options: ParseWavHeaderOptions = {}): WavHeader | WavHeaderPending {
  const maxChunk = options.maxChunkBytes ?? Infinity;
  if (bytes.length < 12) return { pending: true, cutChunk: null, sawFmt: false };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const riff = ascii(bytes, 0);
  if ((riff !== 'RIFF' && riff !== 'RF64') || ascii(bytes, 8) !== 'WAVE') {
    throw new WavHeaderError('not-wav', `not a WAV file (expected RIFF/WAVE, found "${riff}")`);
  }
  let at = 12;
  let fmt: Omit<WavHeader, 'dataOffset' | 'dataBytes'> | null = null;
  let ds64DataBytes: number | null = null;
  for (;;) {
    if (bytes.length < at + 8) return { pending: true, cutChunk: null, sawFmt: fmt !== null };
    const id = ascii(bytes, at);
    const size = view.getUint32(at + 4, true);
    if (id === 'data') {
      if (fmt === null) throw new WavHeaderError('data-before-fmt', 'the WAV data chunk comes before its fmt chunk');
      const dataBytes = size === 0xffffffff && ds64DataBytes !== null ? ds64DataBytes : size;
      return { ...fmt, dataOffset: at + 8, dataBytes };
    }
    if (size > maxChunk) throw new WavHeaderError('chunk-too-large', `WAV header chunk "${id}" claims ${size} bytes`, { id, size });
    if (id === 'fmt ' && size < 16) throw new WavHeaderError('fmt-too-short', 'the WAV fmt chunk is too short');
    const padded = size + (size & 1);
    if (bytes.length < at + 8 + padded) return { pending: true, cutChunk: id, sawFmt: fmt !== null };
    if (id === 'fmt ') fmt = readFmt(view, at + 8, size);
    if (id === 'ds64' && size >= 16) ds64DataBytes = Number(view.getBigUint64(at + 16, true));
    at += 8 + padded;
  }
}

function readFmt(view: DataView, at: number, size: number): Omit<WavHeader, 'dataOffset' | 'dataBytes'> {
  let formatTag = view.getUint16(at, true);
  const bitsPerSample = view.getUint16(at + 14, true);
  if (formatTag === WAVE_FORMAT_EXTENSIBLE && size >= 40) formatTag = view.getUint16(at + 24, true);
  return {
    formatTag,
    channels: view.getUint16(at + 2, true),
    sampleRate: view.getUint32(at + 4, true),
    blockAlign: view.getUint16(at + 12, true),
    bitsPerSample,
    sampleFormat: wavSampleFormat(formatTag, bitsPerSample),
  };
}

function ascii(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
}
