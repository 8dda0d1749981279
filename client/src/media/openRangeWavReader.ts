import { AudioBuffer } from 'standardized-audio-context';
import type { TAnyAudioBuffer } from 'standardized-audio-context';
import type { StemReader } from '../audio/StemReader.ts';
import { decodeWavFrames } from './decodeWavFrames.ts';
import { parseWavHeader, WavFormatError } from './parseWavHeader.ts';
import type { WavLayout } from './parseWavHeader.ts';

/**
 * Bytes read for the header first; WAVs with big metadata chunks before the data take more
 * reads. Small: every stem reads it before Play can start (DAW exports put a few KiB of
 * bext/iXML/JUNK there at most).
 */
const HEADER_BYTES = 16 * 1024;
const MAX_HEADER_BYTES = 4 * 1024 * 1024;

export class StemReadError extends Error {
  override readonly name = 'StemReadError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface RangeWavReaderOptions {
  /**
   * Audio bytes to fetch with the header, in the same request (0: the header only). Reads
   * within them are served from memory until a read starts past them; then they are dropped.
   */
  headBytes?: number;
}

/**
 * Opens a WAV file over HTTP for random access: reads the header once (with the first
 * `headBytes` of audio if asked), then each `read` is one Range request for exactly the
 * frames asked for, decoded into an AudioBuffer with the file's own channel count. `url`
 * gives a short-lived URL; it is asked again when the storage refuses the one we have
 * (403: it expired).
 */
export async function openRangeWavReader(url: (signal: AbortSignal) => Promise<string>, signal: AbortSignal, options: RangeWavReaderOptions = {}): Promise<StemReader> {
  let current = await url(signal);

  const range = async (from: number, to: number, s: AbortSignal): Promise<{ bytes: Uint8Array; total: number }> => {
    for (let attempt = 0; ; attempt++) {
      // no-store: the decoded chunk is the only copy we keep.
      const res = await fetch(current, { signal: s, cache: 'no-store', headers: { Range: `bytes=${from}-${to}` } });
      if (res.status === 403 && attempt === 0) {
        await res.body?.cancel();
        current = await url(s);
        continue;
      }
      if (res.status === 416) return { bytes: new Uint8Array(0), total: from };
      if (res.status !== 206) {
        await res.body?.cancel();
        throw new StemReadError(res.status, res.ok ? 'The storage does not serve byte ranges' : `Stem download failed (${res.status})`);
      }
      const total = Number(/\/(\d+)$/.exec(res.headers.get('content-range') ?? '')?.[1] ?? NaN);
      return { bytes: new Uint8Array(await res.arrayBuffer()), total };
    }
  };

  let layout: WavLayout | null = null;
  let head = new Uint8Array(0);
  let total = NaN;
  const first = HEADER_BYTES + Math.max(0, Math.floor(options.headBytes ?? 0));
  while (!layout) {
    const got = await range(head.length, (head.length === 0 ? first : Math.min(MAX_HEADER_BYTES, Math.max(HEADER_BYTES, head.length * 2))) - 1, signal);
    total = got.total;
    const joined = new Uint8Array(head.length + got.bytes.length);
    joined.set(head);
    joined.set(got.bytes, head.length);
    head = joined;
    layout = parseWavHeader(head);
    if (!layout && (got.bytes.length === 0 || head.length >= MAX_HEADER_BYTES || head.length >= total)) {
      throw new WavFormatError('The stem file ended before its audio data');
    }
  }
  const { format, dataOffset, blockAlign } = layout;
  // A data size larger than the object (a writer that never patched it) is cut to what is there.
  const frames = Number.isFinite(total) ? Math.min(format.frames, Math.floor((total - dataOffset) / blockAlign)) : format.frames;

  // Audio that came with the header, kept for the first reads only.
  let held: Uint8Array | null = head.length > dataOffset + blockAlign ? head : null;

  return {
    channels: format.channels,
    sampleRate: format.sampleRate,
    frames,
    async read(start, count, s): Promise<TAnyAudioBuffer> {
      const n = Math.max(0, Math.min(count, frames - start));
      const out = new AudioBuffer({ length: Math.max(1, n), numberOfChannels: format.channels, sampleRate: format.sampleRate });
      if (n === 0) return out as unknown as TAnyAudioBuffer;
      const from = dataOffset + start * blockAlign;
      const to = from + n * blockAlign;
      if (held && from >= held.length) held = null; // playback has moved past it
      const bytes = held && to <= held.length ? (s.throwIfAborted(), held.subarray(from, to)) : (await range(from, to - 1, s)).bytes;
      const targets = Array.from({ length: format.channels }, (_, c) => out.getChannelData(c));
      const got = decodeWavFrames(bytes, format, targets);
      if (got < n) throw new StemReadError(206, `The stem file ended early (${got} of ${n} frames at ${start})`);
      return out as unknown as TAnyAudioBuffer;
    },
  };
}
