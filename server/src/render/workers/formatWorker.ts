import { parentPort } from 'node:worker_threads';
import { LoudnessMeter } from '@mixroom/shared/dsp';
import { BakeError, cancelledError } from '../BakeError.ts';
import { WasmTruePeakMeter } from '../simd/WasmTruePeakMeter.ts';
import { createFormatWriter } from '../deliver/createFormatWriter.ts';
import type { FormatWriter } from '../deliver/FormatWriter.ts';
import { type FromFormatWorker, ringOffset, type ToFormatWorker } from './formatWorkerProtocol.ts';

/**
 * An encoder thread: one output format's {@link FormatWriter}, fed master blocks through the
 * shared ring. Blocks are taken strictly in order; each is released as soon as the writer
 * has encoded (copied) it, before its bytes reach the disk.
 */
const port = parentPort!;
const post = (msg: FromFormatWorker): void => port.postMessage(msg);

let writer: FormatWriter | null = null;
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
    await writer?.discard().catch(() => {});
    writer = null;
    return;
  } finally {
    draining = false;
  }
}

async function handle(msg: ToFormatWorker): Promise<void> {
  if (msg.type === 'init') {
    const { options } = msg;
    ring = { f32: new Float32Array(msg.ring.memory), channels: options.channels, maxBlockFrames: options.maxBlockFrames };
    if (msg.meterMaster) master = new LoudnessMeter(options.sampleRate, options.channels, { truePeakMeter: () => new WasmTruePeakMeter() });
    writer = await createFormatWriter({
      ...options,
      onPass: (pass, gainDb) => post({ type: 'pass', pass, gainDb }),
    });
    post({ type: 'ready' });
    return;
  }
  if (!writer || !ring) throw new BakeError('worker', 'The encoder thread got a block before it was set up.');
  if (msg.type === 'block') {
    const { f32, channels, maxBlockFrames } = ring;
    const block = Array.from({ length: channels }, (_, c) => {
      const at = ringOffset(msg.slot, c, channels, maxBlockFrames);
      return f32.subarray(at, at + msg.frames);
    });
    master?.process(block);
    // The writer encodes (copies) the block before its first await: the slot is free after this call.
    const written = writer.write(block, msg.frames);
    post({ type: 'release', slot: msg.slot });
    await written;
    return;
  }
  const result = await writer.finish(signal);
  if (signal.aborted) throw cancelledError(signal);
  // The sealed file stays: the main thread stores or moves it, then removes the bake's temp folder.
  writer = null;
  post({ type: 'done', file: result.file, measurement: result.measurement, master: master?.summary() ?? null });
}
