import { BakeError } from '../BakeError.ts';
import type { StemStream } from './StemSource.ts';
import { WavStreamDecoder } from './WavStreamDecoder.ts';

/**
 * Turns a byte stream (an S3 GetObject body, a file read stream) into a StemStream. Reads
 * just far enough to parse the header, then hands on the sample data as the bake pulls it
 * (decoding to float happens on the bake's worker threads). `dataOffset` is where the
 * samples start in `bytes`.
 */
export async function openWavStream(
  bytes: AsyncIterable<Uint8Array>,
  label: string,
  close: () => Promise<void>,
): Promise<StemStream & { dataOffset: number }> {
  const decoder = new WavStreamDecoder(label);
  const iterator = bytes[Symbol.asyncIterator]();
  const early: Uint8Array[] = [];
  let done = false;
  try {
    while (decoder.header === null) {
      const next = await iterator.next();
      if (next.done) {
        done = true;
        decoder.end(); // throws: no complete header
      } else {
        // Copied (a source may reuse its chunk buffer for the next read); not .slice(),
        // which is a view on a Node Buffer.
        const payload = decoder.pushData(next.value);
        if (payload) early.push(new Uint8Array(payload));
      }
    }
  } catch (err) {
    await close();
    throw wrapReadError(err, label);
  }
  const header = decoder.header;

  async function* data(): AsyncGenerator<Uint8Array> {
    try {
      yield* early;
      early.length = 0;
      while (!done) {
        const next = await iterator.next();
        if (next.done) break;
        const bytes = decoder.pushData(next.value);
        if (bytes) yield bytes;
      }
      decoder.end();
    } catch (err) {
      throw wrapReadError(err, label);
    } finally {
      await close();
    }
  }

  return {
    channels: header.channels,
    sampleRate: header.sampleRate,
    frames: header.frames,
    encoding: header.format,
    bytesPerFrame: header.bytesPerFrame,
    dataOffset: header.dataOffset,
    data: data(),
    close,
  };
}

/** A network reset mid-stem is a truncated stem from the mix's point of view: say so, never pad. */
function wrapReadError(err: unknown, label: string): BakeError {
  if (err instanceof BakeError) return err;
  if (err instanceof Error && err.name === 'AbortError') {
    return new BakeError('cancelled', 'The bake was cancelled.', { cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new BakeError('stem-truncated', `${label}: reading the stem failed part way: ${message}`, { cause: err });
}
