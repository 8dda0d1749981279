import { parentPort } from 'node:worker_threads';
import { LoudnessMeter } from '@mixroom/shared/dsp/loudness';
import { BakeError, cancelledError } from '../BakeError.ts';
import { WasmTruePeakMeter } from '../simd/WasmTruePeakMeter.ts';
import { createFormatWriter } from '../deliver/createFormatWriter.ts';
import { SharedQuantizers } from '../encode/SharedQuantizer.ts';
import type { FormatWriter } from '../deliver/FormatWriter.ts';
import { type FromFormatWorker, ringOffset, type ToFormatWorker } from './formatWorkerProtocol.ts';

/**
 * An encoder thread: the {@link FormatWriter}s of its formats, fed master blocks through the
 * shared ring. Blocks are taken strictly in order; each is released as soon as every writer
 * has encoded (copied) it, before its bytes reach the disk.
 */
const port = parentPort!;
const post = (msg: FromFormatWorker): void => port.postMessage(msg);

let writers: FormatWriter[] = [];
let master: LoudnessMeter | null = null;
let ring: { f32: Float32Array; channels: number; maxBlockFrames: number } | null = null;
const queue: ToFormatWorker[] = [];
let draining = false;
// Never aborted from here: the main thread ends a cancelled bake by terminating this thread.
const signal = new AbortController().signal;

port.on('message', (msg: ToFormatWorker) => {
  queue.push(msg);
  if (!draining) void drain();
});

async function drain(): Promise<void> {
  draining = true;
  try {
    for (let msg = queue.shift(); msg; msg = queue.shift()) await handle(msg);
  } catch (err) {
    const e = err instanceof BakeError ? err : new BakeError('encoder', `Encoding failed: ${(err as Error).message}`, { cause: err });
    post({ type: 'error', code: e.code, message: e.message });
    queue.length = 0;
    await Promise.all(writers.map((w) => w.discard().catch(() => {})));
    writers = [];
    return;
  } finally {
    draining = false;
  }
}

async function handle(msg: ToFormatWorker): Promise<void> {
  if (msg.type === 'init') {
    // A kept thread starts every bake afresh (its last bake's state was dropped when it finished).
    const first = msg.formats[0]!;
    writers = [];
    ring = { f32: new Float32Array(msg.ring.memory), channels: first.channels, maxBlockFrames: first.maxBlockFrames };
    master = msg.meterMaster ? new LoudnessMeter(first.sampleRate, first.channels, { truePeakMeter: () => new WasmTruePeakMeter() }) : null;
    // WAV 24 and FLAC dither the same blocks with the same seed: quantised once for both.
    const quantizers = new SharedQuantizers();
    for (const [index, options] of msg.formats.entries()) {
      writers.push(
        await createFormatWriter(
          { ...options, onPass: (pass, gainDb) => post({ type: 'pass', index, pass, gainDb }), onChild: (pid, running) => post({ type: 'child', pid, running }) },
          quantizers,
        ),
      );
    }
    post({ type: 'ready' });
    return;
  }
  if (writers.length === 0 || !ring) throw new BakeError('worker', 'The encoder thread got a block before it was set up.');
  if (msg.type === 'block') {
    const { f32, channels, maxBlockFrames } = ring;
    const block = Array.from({ length: channels }, (_, c) => {
      const at = ringOffset(msg.slot, c, channels, maxBlockFrames);
      return f32.subarray(at, at + msg.frames);
    });
    master?.process(block);
    // Each writer encodes (copies) the block before its first await: the slot is free after these calls.
    const written = writers.map((w) => w.write(block, msg.frames));
    post({ type: 'release', slot: msg.slot });
    await Promise.all(written);
    return;
  }
  // Each file is reported as soon as it is sealed, so the main thread stores it while the others finish.
  await Promise.all(
    writers.map(async (w, index) => {
      const result = await w.finish(signal);
      if (signal.aborted) throw cancelledError(signal);
      // The sealed file stays: the main thread stores or moves it, then removes the bake's temp folder.
      post({ type: 'done', index, file: result.file, measurement: result.measurement });
    }),
  );
  const summary = master?.summary() ?? null;
  // Kept for another bake: hold nothing of this one (the ring is the bake's shared memory).
  writers = [];
  master = null;
  ring = null;
  post({ type: 'finished', master: summary });
}
