import { parentPort } from 'node:worker_threads';
import type { PlanNodeId } from '@mixroom/shared/plan';
import { BakeError } from './BakeError.ts';
import { decodeWavFrames } from './decodeWavFrames.ts';
import { PlanRuntime } from './PlanRuntime.ts';
import { StripChainMemory } from './simd/StripChainMemory.ts';
import { type FromTrackWorker, type StemEncoding, stemBlockLayout, type ToTrackWorker } from './trackWorkerProtocol.ts';

/**
 * A bake worker: runs whole track strips (source -> ... -> mute, sends) block by block
 * and returns the signals that feed buses and the master. Loaded through
 * trackWorker.entry.cjs, which makes TypeScript importable in the thread.
 */
const port = parentPort;
if (!port) throw new Error('trackWorker.ts must run in a worker thread');

let runtime: PlanRuntime | null = null;
let sources: Float32Array[][] = [];
let stemEncodings: (StemEncoding | null)[] = [];
let stemOffsets: number[] = [];
let exports: Float32Array[][] = [];
/** Per slot, per export: its channels' regions in the shared arena. */
let slotViews: Float32Array[][][] = [];
/**
 * Per export: true when the runtime computes it straight into the slot (its buffers are
 * re-pointed there each block); false for buffers another export already re-points (an
 * identity node passing its input on), which are copied after the block.
 */
let direct: boolean[] = [];
let blockFrames = 0;

const post = (msg: FromTrackWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(msg, transfer);

port.on('message', (msg: ToTrackWorker) => {
  try {
    if (msg.type === 'init') {
      const tracks = new Set(msg.trackIds);
      blockFrames = msg.blockFrames;
      runtime = new PlanRuntime(msg.plan, (n) => n.owner.kind === 'track' && tracks.has(n.owner.id), blockFrames, new Map(), new StripChainMemory());
      const rt = runtime;
      sources = msg.plan.nodes.filter((n) => n.kind === 'source' && tracks.has(n.owner.id)).map((n) => rt.bufferOf(n.id));
      stemEncodings = msg.stems;
      stemOffsets = stemBlockLayout(msg.stems, blockFrames).offsets;
      exports = msg.exports.map((id: PlanNodeId) => rt.bufferOf(id));
      const bytes = 4 * blockFrames;
      slotViews = msg.slots.map((base) => {
        let at = base;
        return exports.map((chans) => chans.map(() => new Float32Array(msg.memory, (at += bytes) - bytes, blockFrames)));
      });
      const seen = new Set<Float32Array[]>();
      direct = exports.map((chans) => !seen.has(chans) && seen.add(chans) !== null);
      post({ type: 'ready', latencyFrames: msg.exports.map((id) => rt.latencyOf(id)) });
      return;
    }
    if (!runtime) throw new BakeError('worker', 'Bake worker got audio before its plan.');
    const { frames, stems, valid } = msg;
    const views = slotViews[msg.slot];
    if (!views) throw new BakeError('worker', `Bake worker got block ${msg.index} for slot ${msg.slot}, which it does not have.`);
    // Exports are computed in place, in the slot the main thread sums them from. Safe because
    // the runtime and its kernels look buffers up through these arrays at process time and
    // keep no samples in them between blocks.
    for (let i = 0; i < exports.length; i++) {
      if (!direct[i]) continue;
      const chans = exports[i]!;
      const into = views[i]!;
      for (let c = 0; c < chans.length; c++) chans[c] = into[c]!;
    }
    for (let i = 0; i < sources.length; i++) {
      const chans = sources[i]!;
      const stem = stemEncodings[i];
      const n = stem ? valid[i]! : 0;
      if (n > 0) decodeWavFrames(stems.subarray(stemOffsets[i]!, stemOffsets[i]! + n * stem!.bytesPerFrame), stem!.encoding, n, chans, 0);
      if (n < frames) for (const ch of chans) ch.fill(0, n, frames);
    }
    runtime.run(frames);
    for (let i = 0; i < exports.length; i++) {
      if (direct[i]) continue;
      const chans = exports[i]!;
      const into = views[i]!;
      for (let c = 0; c < chans.length; c++) into[c]!.set(chans[c]!.subarray(0, frames));
    }
    post({ type: 'block', index: msg.index, stems }, [stems.buffer as ArrayBuffer]);
  } catch (err) {
    const e = err instanceof BakeError ? err : new BakeError('worker', `Bake worker failed: ${(err as Error).message}`);
    post({ type: 'error', code: e.code, message: e.message });
  }
});
