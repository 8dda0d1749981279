import { type FileHandle, open, stat } from 'node:fs/promises';
import path from 'node:path';
import { BakeError } from '../BakeError.ts';
import { openWavStream } from './openWavStream.ts';
import { truncatedStemError } from './truncatedStemError.ts';
import type { StemSource } from './StemSource.ts';

/**
 * Stems from a folder, by key: `<dir>/<key>` (keys may contain '/'), with `.wav` tried as a
 * suffix. For the CLI, the bench and tests. Keys cannot escape the folder.
 */
export function createFileStemSource(dir: string): StemSource {
  const root = path.resolve(dir);
  return {
    async open(key, signal) {
      const candidates = [key, `${key}.wav`].map((k) => path.resolve(root, k));
      let file: string | null = null;
      for (const candidate of candidates) {
        if (!candidate.startsWith(root + path.sep)) {
          throw new BakeError('stem-missing', `Stem key "${key}" points outside the stems folder.`, { stemKey: key });
        }
        const info = await stat(candidate).catch(() => null);
        if (info?.isFile()) {
          file = candidate;
          break;
        }
      }
      if (file === null) {
        throw new BakeError('stem-missing', `Stem "${key}" is missing: no file ${candidates[0]} (or .wav).`, { stemKey: key });
      }
      const handle = await open(file, 'r');
      let closed: Promise<void> | null = null;
      const close = (): Promise<void> => (closed ??= handle.close().catch(() => {}));
      const label = `Stem "${key}"`;
      const { dataOffset, ...stream } = await openWavStream(readChunks(handle, signal), label, close);
      // The bake's workers read the samples from the file themselves (StemStream.localFile),
      // so a file shorter than its header says is refused now, not when a worker gets there.
      const size = await handle.stat().then((s) => s.size, async (err: unknown) => {
        await close();
        throw err;
      });
      const present = Math.max(0, Math.floor((size - dataOffset) / stream.bytesPerFrame));
      if (present < stream.frames) {
        await close();
        throw truncatedStemError(label, present, stream.frames, stream.sampleRate, { stemKey: key });
      }
      return { ...stream, localFile: { fd: handle.fd, dataOffset } };
    },
  };
}

/** 1 MiB reads: few syscalls, bounded memory. */
const CHUNK = 1 << 20;
/**
 * The first read: enough for any usual header (fmt, a few metadata chunks). A bake's workers
 * read a local stem's samples by its descriptor, so all the main thread ever needs is the
 * header: reading (and copying) a full chunk, and one ahead, cost 40 stems ~0.4 CPU-s.
 */
const HEAD = 1 << 16;

/**
 * The file's bytes: a small first chunk (the header), then 1 MiB chunks, one read ahead,
 * alternating between two buffers (a 4-minute stem allocates no fresh megabyte per read).
 * The read-ahead starts only once the second chunk is asked for. A chunk stays valid until
 * the next one is asked for, as StemStream.data promises.
 */
async function* readChunks(handle: FileHandle, signal: AbortSignal): AsyncGenerator<Uint8Array> {
  const checkAborted = (): void => {
    if (!signal.aborted) return;
    const err = new Error('The stem read was aborted.');
    err.name = 'AbortError';
    throw err;
  };
  const head = await handle.read(Buffer.allocUnsafe(HEAD), 0, HEAD, 0);
  checkAborted();
  if (head.bytesRead === 0) return;
  yield head.buffer.subarray(0, head.bytesRead);
  const buffers = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
  let position = head.bytesRead;
  let which = 0;
  const readInto = (buffer: Buffer, at: number) => handle.read(buffer, 0, CHUNK, at);
  let next = readInto(buffers[0]!, position);
  for (;;) {
    const { bytesRead, buffer } = await next;
    checkAborted();
    if (bytesRead === 0) return;
    position += bytesRead;
    which ^= 1;
    next = readInto(buffers[which]!, position);
    next.catch(() => {}); // surfaced when awaited; a read cut short by close() is never awaited
    yield buffer.subarray(0, bytesRead);
  }
}
