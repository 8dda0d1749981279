import { parentPort } from 'node:worker_threads';
import { processStem } from './processStem.ts';
import { ApiError } from '../http/ApiError.ts';
import type { FromStemWorker, ToStemWorker } from './stemWorkerProtocol.ts';

/**
 * A stem worker: validates and analyses one upload (processStem) off the main thread, under
 * the resource limits its parent gave it, answers once and exits. Loaded through
 * stemWorker.entry.cjs, which makes TypeScript importable in the thread.
 */
const port = parentPort;
if (!port) throw new Error('stemWorker.ts must run in a worker thread');

port.once('message', ({ bytes, job }: ToStemWorker) => {
  processStem(bytes, job).then(
    (stem) => {
      const transfer = [stem.peaks.buffer, ...(stem.playbackWav ? [stem.playbackWav.buffer] : [])] as ArrayBuffer[];
      port.postMessage({ ok: true, stem } satisfies FromStemWorker, transfer);
      port.close();
    },
    (error: unknown) => {
      const reply: FromStemWorker =
        error instanceof ApiError
          ? { ok: false, code: error.code, message: error.message }
          : { ok: false, code: null, message: error instanceof Error ? error.message : String(error) };
      port.postMessage(reply);
      port.close();
    },
  );
});
