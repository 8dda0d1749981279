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
let slots: Float32Array[] = [];
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
      const exportWidth = exports.reduce((sum, chans) => sum + chans.length, 0);
      slots = msg.slots.map((at) => new Float32Array(msg.memory, at, exportWidth * blockFrames));
      post({ type: 'ready', latencyFrames: msg.exports.map((id) => rt.latencyOf(id)) });
      return;
    }
    if (!runtime) throw new BakeError('worker', 'Bake worker got audio before its plan.');
    const { frames, stems, valid } = msg;
    for (let i = 0; i < sources.length; i++) {
      const chans = sources[i]!;
      const stem = stemEncodings[i];
      const n = stem ? valid[i]! : 0;
      if (n > 0) decodeWavFrames(stems.subarray(stemOffsets[i]!, stemOffsets[i]! + n * stem!.bytesPerFrame), stem!.encoding, n, chans, 0);
      if (n < frames) for (const ch of chans) ch.fill(0, n, frames);
    }
    runtime.run(frames);
    let at = 0;
    const out = slots[msg.slot];
    if (!out) throw new BakeError('worker', `Bake worker got block ${msg.index} for slot ${msg.slot}, which it does not have.`);
    for (const chans of exports) {
      for (const ch of chans) {
        out.set(ch.subarray(0, frames), at);
        at += blockFrames;
      }
    }
    post({ type: 'block', index: msg.index, stems }, [stems.buffer as ArrayBuffer]);
  } catch (err) {
    const e = err instanceof BakeError ? err : new BakeError('worker', `Bake worker failed: ${(err as Error).message}`);
    post({ type: 'error', code: e.code, message: e.message });
  }
});
