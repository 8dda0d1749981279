import { readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { PlanNodeId } from '@mixroom/shared/plan';
import { BakeError } from '../BakeError.ts';
import { decodeWavFrames } from '@mixroom/shared/wav';
import { PlanRuntime } from '../runtime/PlanRuntime.ts';
import { SUM_ROLE } from '../runtime/planSumChains.ts';
import { StripChainMemory } from '../simd/StripChainMemory.ts';
import { truncatedStemError } from '../input/truncatedStemError.ts';
import { type FromTrackWorker, type StemEncoding, type StemFile, stemBlockLayout, type ToTrackWorker } from './trackWorkerProtocol.ts';

/**
 * A bake worker: runs whole track strips (source -> ... -> mute, sends) block by block
 * and returns the signals that feed buses and the master. Loaded through
 * trackWorker.entry.cjs, which makes TypeScript importable in the thread.
 */
const port = parentPort;
if (!port) throw new Error('trackWorker.ts must run in a worker thread');

let runtime: PlanRuntime | null = null;
let simd: StripChainMemory | null = null;
/** Address in `simd` of a buffer a block of one stem's raw bytes is put in to be decoded there. */
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
/** The session's rate (for the seconds in a truncation message). */
let sampleRate = 48000;
let worker = 0;
/** The arena's flags: per worker the blocks it finished, then the stop flag (see trackWorkerProtocol). */
let flags: Int32Array | null = null;
/** The partial sums this worker continues: where they are read from per slot, where they go. */
let relays: { from: number; views: Float32Array[][]; target: Float32Array[] }[] = [];

/** How long one wait for another worker lasts before the stop flag is looked at again. */
const WAIT_MS = 50;

/**
 * Waits until every worker this one continues has finished block `index`, then copies their
 * partial sums for it (in `slot`) into this runtime's import buffers.
 */
function fillRelays(index: number, slot: number, frames: number): void {
  const f = flags!;
  const stop = f.length - 1;
  for (const relay of relays) {
    while (Atomics.load(f, relay.from) < index + 1) {
      if (Atomics.load(f, stop) !== 0) throw new BakeError('cancelled', 'The bake was stopped.');
      Atomics.wait(f, relay.from, Atomics.load(f, relay.from), WAIT_MS);
    }
    const from = relay.views[slot]!;
    for (let c = 0; c < relay.target.length; c++) relay.target[c]!.set(from[c]!.subarray(0, frames));
  }
}

const post = (msg: FromTrackWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(msg, transfer);

/**
 * Where a block of a source's encoded bytes is put in the SIMD module's memory (copied from
 * the block's packed buffer, or read from the stem's file straight there): a mono float32
 * stem's bytes are its samples, so they go into the source buffer itself; anything else
 * goes to the staging buffer, for decodeStaged.
 */
function landing(encoding: StemEncoding['encoding'], chans: Float32Array[]): number {
  const l = simd!.addressOf(chans[0]!);
  return encoding === 'float32' && chans.length === 1 && l !== undefined ? l : staging;
}

/**
 * Decodes `frames` frames of encoded bytes at the staging buffer into the source buffers:
 * in the SIMD module for the common encodings (float32, 16- and 24-bit PCM; mono or
 * stereo), else decodeWavFrames. Same samples either way.
 */
function decodeStaged(encoding: StemEncoding['encoding'], bytesPerFrame: number, frames: number, chans: Float32Array[]): void {
  const mem = simd!;
  const l = mem.addressOf(chans[0]!);
  const r = chans.length === 2 ? mem.addressOf(chans[1]!) : l;
  const channels = chans.length;
  if (l !== undefined && r !== undefined && channels <= 2) {
    if (encoding === 'float32') return mem.decodeF32Stereo(staging, l, r, frames);
    if (encoding === 'pcm16') return mem.decodePcm16(staging, l, r, frames, channels as 1 | 2);
    if (encoding === 'pcm24') return mem.decodePcm24(staging, l, r, frames, channels as 1 | 2);
  }
  decodeWavFrames(mem.u8.subarray(staging, staging + frames * bytesPerFrame), encoding, frames, chans, 0);
}

/**
 * Reads `bytes` bytes of a stem's file at `position` into the module's memory at `at`.
 * Synchronous: the worker has nothing else to do until its block's stems are in, and the
 * kernel copies from its page cache (read ahead for sequential reads) straight into the
 * buffer the module decodes from. A file that ends early (shortened during the bake; its
 * length was checked when it was opened) fails the bake, never plays a gap.
 */
function readStemFile(file: StemFile, at: number, bytes: number, position: number, bytesPerFrame: number): void {
  const u8 = simd!.u8;
  const label = `Stem "${file.stemKey}"`;
  let done = 0;
  while (done < bytes) {
    let got: number;
    try {
      got = readSync(file.fd, u8, at + done, bytes - done, position + done);
    } catch (err) {
      throw new BakeError('storage', `${label}: reading its file failed: ${(err as Error).message}`, { stemKey: file.stemKey, cause: err }).forTrack(file.trackId, file.trackName);
    }
    if (got === 0) {
      const present = Math.floor((position - file.dataOffset + done) / bytesPerFrame);
      throw truncatedStemError(label, present, file.frames, sampleRate, { stemKey: file.stemKey }).forTrack(file.trackId, file.trackName);
    }
    done += got;
  }
}

/** Forgets the bake: a kept thread holds no plan, samples or shared memory between bakes. */
function reset(): void {
  runtime = null;
  simd = null;
  staging = 0;
  sources = [];
  stemEncodings = [];
  stemOffsets = [];
  exports = [];
  slotViews = [];
  direct = [];
  flags = null;
  relays = [];
}

port.on('message', (msg: ToTrackWorker) => {
  try {
    if (msg.type === 'reset') return reset();
    if (msg.type === 'init') {
      reset();
      const tracks = new Set(msg.trackIds);
      blockFrames = msg.blockFrames;
      sampleRate = msg.plan.sampleRate;
      // The runtime's buffers live in the SIMD module's memory: stems decode straight into
      // the sources, and the strip chains read them there without a copy.
      // Sized generously from the share (untouched pages cost nothing): per node room for its
      // output, input scratches and a chain's buffers, plus programs and bypass delays.
      // An automated node in a chain also holds its values per frame (a biquad's five
      // coefficients: 40 bytes).
      const share = msg.plan.nodes.filter((n) => n.owner.kind === 'track' && tracks.has(n.owner.id));
      const automated = share.filter((n) => 'automation' in n && n.automation !== undefined).length;
      simd = new StripChainMemory((4 << 20) + share.length * (12 * 4 * blockFrames + 65536) + automated * 48 * blockFrames);
      // The partial sums it continues are imports, filled once the earlier worker has them.
      const imports = new Map(msg.relays.map((r) => [r.id, 0]));
      runtime = new PlanRuntime(msg.plan, {
        include: (n) => n.owner.kind === 'track' && tracks.has(n.owner.id),
        maxFrames: blockFrames,
        imports,
        simd,
        memory: simd,
      });
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
      worker = msg.worker;
      flags = new Int32Array(msg.memory, msg.flags.byteOffset, msg.flags.length);
      relays = msg.relays.map((r) => {
        const target = rt.bufferOf(r.id);
        return { from: r.from, target, views: r.slots.map((base) => target.map((_, c) => new Float32Array(msg.memory, base + c * bytes, blockFrames))) };
      });
      // Partial sums are summed in the module's memory (SIMD) and copied to their slot after the block.
      const partials = new Set(msg.plan.nodes.filter((n) => n.role === SUM_ROLE).map((n) => n.id));
      const seen = new Set<Float32Array[]>();
      direct = exports.map((chans, i) => !partials.has(msg.exports[i]!) && !seen.has(chans) && seen.add(chans) !== null);
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
      const file = stem?.file;
      // Every block but the last is blockFrames long, so block `index` starts at this frame.
      const first = msg.index * blockFrames;
      const n = !stem ? 0 : file ? Math.max(0, Math.min(frames, file.frames - first)) : valid[i]!;
      if (n > 0) {
        const bpf = stem!.bytesPerFrame;
        const at = landing(stem!.encoding, chans);
        if (file) readStemFile(file, at, n * bpf, file.dataOffset + first * bpf, bpf);
        else simd!.u8.set(stems.subarray(stemOffsets[i]!, stemOffsets[i]! + n * bpf), at);
        if (at === staging) decodeStaged(stem!.encoding, bpf, n, chans);
      }
      if (n < frames) for (const ch of chans) ch.fill(0, n, frames);
    }
    runtime.run(frames, relays.length > 0 ? () => fillRelays(msg.index, msg.slot, frames) : undefined);
    for (let i = 0; i < exports.length; i++) {
      if (direct[i]) continue;
      const chans = exports[i]!;
      const into = views[i]!;
      for (let c = 0; c < chans.length; c++) into[c]!.set(chans[c]!.subarray(0, frames));
    }
    // This block's exports are in their slot: a worker continuing our partial sums may go on.
    Atomics.store(flags!, worker, msg.index + 1);
    Atomics.notify(flags!, worker);
    post({ type: 'block', index: msg.index, stems }, [stems.buffer as ArrayBuffer]);
  } catch (err) {
    const e = err instanceof BakeError ? err : new BakeError('worker', `Bake worker failed: ${(err as Error).message}`);
    post({ type: 'error', ...e.toJSON() });
  }
});
