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
let simd: StripChainMemory | null = null;
/** Address in `simd` of a buffer the block's raw stem bytes are copied to for decoding there. */
let staging = 0;
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

/**
 * A block of one stem's bytes into its source buffers: in the SIMD module for the common
 * encodings (float32, 16- and 24-bit PCM; mono or stereo), else decodeWavFrames. Same samples.
 */
function decode(bytes: Uint8Array, encoding: StemEncoding['encoding'], frames: number, chans: Float32Array[]): void {
  const mem = simd!;
  const l = mem.addressOf(chans[0]!);
  const r = chans.length === 2 ? mem.addressOf(chans[1]!) : l;
  const channels = chans.length;
  if (l !== undefined && r !== undefined && channels <= 2) {
    if (encoding === 'float32' && channels === 1) {
      mem.u8.set(bytes, l); // the file's float32 samples are the buffer's bytes
      return;
    }
    if (encoding === 'float32' || encoding === 'pcm16' || encoding === 'pcm24') {
      mem.u8.set(bytes, staging);
      if (encoding === 'float32') mem.decodeF32Stereo(staging, l, r, frames);
      else if (encoding === 'pcm16') mem.decodePcm16(staging, l, r, frames, channels as 1 | 2);
      else mem.decodePcm24(staging, l, r, frames, channels as 1 | 2);
      return;
    }
  }
  decodeWavFrames(bytes, encoding, frames, chans, 0);
}

port.on('message', (msg: ToTrackWorker) => {
  try {
    if (msg.type === 'init') {
      const tracks = new Set(msg.trackIds);
      blockFrames = msg.blockFrames;
      // The runtime's buffers live in the SIMD module's memory: stems decode straight into
      // the sources, and the strip chains read them there without a copy.
      // Sized generously from the share (untouched pages cost nothing): per node room for its
      // output, input scratches and a chain's buffers, plus programs and bypass delays.
      const nodes = msg.plan.nodes.filter((n) => n.owner.kind === 'track' && tracks.has(n.owner.id)).length;
      simd = new StripChainMemory((4 << 20) + nodes * (12 * 4 * blockFrames + 65536));
      runtime = new PlanRuntime(msg.plan, (n) => n.owner.kind === 'track' && tracks.has(n.owner.id), blockFrames, new Map(), simd, simd);
      staging = simd.reserve(Math.max(0, ...msg.stems.map((st) => st?.bytesPerFrame ?? 0)) * blockFrames + 16);
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
      if (n > 0) decode(stems.subarray(stemOffsets[i]!, stemOffsets[i]! + n * stem!.bytesPerFrame), stem!.encoding, n, chans);
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
