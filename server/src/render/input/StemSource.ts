import type { WavSampleFormat } from '@mixroom/shared/wav';

/**
 * Where the bake reads stems from. Injected, so the same bake reads S3 in the server, a
 * folder in the CLI and bench, and the tests can use either. A stem is read once, front
 * to back, block by block: memory does not grow with song length.
 */
export interface StemInfo {
  channels: number;
  sampleRate: number;
  /** Length in sample frames, from the stem's header. The stream must deliver exactly this. */
  frames: number;
}

export interface StemStream extends StemInfo {
  /** How `data` encodes samples (decodeWavFrames turns it into float). */
  encoding: WavSampleFormat;
  /** Bytes of one interleaved frame of `data`. */
  bytesPerFrame: number;
  /**
   * The sample data, interleaved and still encoded, in chunks of any length (frames may
   * straddle chunks). Ends after exactly `frames` frames, or throws a BakeError
   * ('stem-truncated', 'stem-corrupt'): never a gap. The bake decodes it on its worker
   * threads. A chunk may be reused once the next one is asked for.
   */
  data: AsyncIterable<Uint8Array>;
  /**
   * Set when the sample data is a byte range of a local file, open as `fd` until close():
   * bake workers then read their blocks there themselves (positional reads straight into
   * the buffer they decode from) instead of taking `data` through the main thread, which
   * saves the main thread a copy of every stem byte and a promise per stem per block.
   * The file holds at least `frames` frames from `dataOffset` when the stream opens.
   */
  localFile?: { fd: number; dataOffset: number };
  /** Releases the underlying file handle or HTTP body early (cancel, error elsewhere). */
  close(): Promise<void>;
}

export interface StemSource {
  /**
   * Opens the stem stored under `key`. Rejects with BakeError 'stem-missing' when there is
   * no such object, 'stem-format'/'stem-corrupt' when it is not audio we can stream.
   */
  open(key: string, signal: AbortSignal): Promise<StemStream>;
}
