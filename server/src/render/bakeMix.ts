import { setMaxListeners } from 'node:events';
import { MIX_PLAN_VERSION, type MixPlan, type PlanNodeId, type SourcePlanNode } from '@mixroom/shared/plan';
import { BakeError, cancelledError } from './BakeError.ts';
import { partitionPlan, type WorkerShare } from './runtime/partitionPlan.ts';
import { planSumChains } from './runtime/planSumChains.ts';
import { PlanRuntime } from './runtime/PlanRuntime.ts';
import { SampleArena } from './runtime/SampleArena.ts';
import { StripChainMemory } from './simd/StripChainMemory.ts';
import { StemReader } from './input/StemReader.ts';
import type { StemSource } from './input/StemSource.ts';
import { type StemEncoding, stemBlockLayout } from './workers/trackWorkerProtocol.ts';
import { defaultWorkerCount, TrackWorkerPool } from './workers/TrackWorkerPool.ts';
import type { BakeThreads } from './workers/BakeThreads.ts';

export interface BakeMixOptions {
  stems: StemSource;
  /** Must equal the plan's rate (stems and plan are both at the session rate). Defaults to it. */
  sampleRate?: number;
  /** Frames per block; any size gives the same samples. Default {@link DEFAULT_BAKE_BLOCK_FRAMES}. */
  blockFrames?: number;
  /** Worker threads for track strips. Default: one per core. */
  workers?: number;
  signal?: AbortSignal;
  /** Called after each block with frames done so far (before latency trim) and the total. */
  onFrames?: (done: number, total: number) => void;
  /** Names shown in errors ("Track \"Bass DI\": ..."); by track id. */
  trackNames?: Readonly<Record<string, string>>;
  /**
   * Shift the output earlier by the master path's processing latency (e.g. a limiter's
   * look-ahead) so the bake lines up with the stems. Default true.
   */
  compensateLatency?: boolean;
  /** Blocks in flight between reading stems and summing buses. Default 3. */
  pipelineDepth?: number;
  /**
   * Threads kept between bakes (a server's): the track workers are taken from it and given
   * back after a bake that ran to its end. Without it, each bake starts and ends its own.
   */
  threads?: BakeThreads;
}

/**
 * Frames per block unless a bake asks otherwise. 16384 rather than 8192: half the per-block
 * work (messages to the workers, each node's dispatch, each compressor's constants) for
 * about 20 MB more peak memory; the 240 s bench bake ran 3-5% faster in wall time in three
 * runs of each, interleaved, with the same bytes out.
 */
export const DEFAULT_BAKE_BLOCK_FRAMES = 16384;

/** One block of the master: planar stereo, valid until the next iteration. */
export interface MasterBlock {
  channels: readonly Float32Array[];
  frames: number;
}

export interface BakeMixInfo {
  /** Frames the iterator will yield in total. */
  frames: number;
  /** Master path latency removed from the start (0 when not compensating). */
  latencyFrames: number;
  workers: number;
}

/** A running bake: `info` once started, blocks as an async iterator. */
export interface BakeMixStream extends AsyncIterable<MasterBlock> {
  info: BakeMixInfo;
  /** Stops the workers and closes the stems; idempotent, also fine after the last block. */
  close(): Promise<void>;
}

/**
 * Bakes a MixPlan with the shared/dsp kernels, no Web Audio. Stems stream in block by block
 * (memory does not grow with song length), track strips run on worker threads, and the main
 * thread sums buses and runs the master exactly in plan order. Yields the master in blocks;
 * stop iterating (or abort) and every worker and stem stream is released.
 */
export async function bakeMix(plan: MixPlan, options: BakeMixOptions): Promise<BakeMixStream> {
  if (options.signal?.aborted) throw cancelledError(options.signal);
  // One internal signal for every stem stream and request (dozens of listeners), linked to
  // the caller's by a single listener.
  const internal = new AbortController();
  setMaxListeners(0, internal.signal);
  const outer = options.signal;
  const forward = (): void => internal.abort(outer?.reason);
  outer?.addEventListener('abort', forward, { once: true });
  const signal = internal.signal;
  const blockFrames = options.blockFrames ?? DEFAULT_BAKE_BLOCK_FRAMES;
  const sampleRate = options.sampleRate ?? plan.sampleRate;
  validatePlan(plan, sampleRate, blockFrames);

  // Workers take contiguous runs of tracks and sum the buses' track inputs along the chain
  // of workers; `run` is the plan with those partial sums in it (same samples).
  const sums = planSumChains(plan, partitionPlan(plan, options.workers ?? defaultWorkerCount()).shares);
  const { shares, mainImports } = sums;
  const run = sums.plan;
  const readers = new Map<PlanNodeId, StemReader>();
  // The threads boot while the stems open.
  const pool = TrackWorkerPool.spawn(shares, options.threads?.track);
  let cleaned: Promise<void> | null = null;
  // The workers stop before the stems close: a worker may be reading a stem's file by its
  // descriptor, which must not be closed (and its number reused) under it. Only a bake that
  // ran to its last block gives its threads back to be kept (they are idle then).
  const cleanup = (completed = false): Promise<void> =>
    (cleaned ??= (async () => {
      outer?.removeEventListener('abort', forward);
      await (completed && !signal.aborted ? pool.release() : pool.terminate());
      await Promise.all([...readers.values()].map((r) => r.close().catch(() => {})));
    })());
  try {
    const sources = shares.flatMap((s) => s.sources);
    // Every open settles before a failure is reported, so stems that opened after another
    // failed are closed too (Promise.all would reject first and leak their file handles).
    const opened = await Promise.allSettled(sources.map(async (node) => {
      const reader = await openSource(node, options, plan, signal);
      if (reader) readers.set(node.id, reader);
    }));
    const failed = opened.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    // One shared arena: the workers' export slots (one per block in flight) and every buffer
    // of the main runtime, so bus sums run on SIMD straight from what the workers wrote.
    const depth = Math.max(1, options.pipelineDepth ?? 3);
    const byId = new Map(run.nodes.map((n) => [n.id, n]));
    const exportWidth = shares.map((s) => s.exports.reduce((n, id) => n + byId.get(id)!.channels, 0));
    const mainNodes = run.nodes.filter((n) => n.owner.kind !== 'track').length;
    const totalWidth = exportWidth.reduce((a, b) => a + b, 0);
    // Slots, the runtime's import buffers, and at most 3 stereo buffers per main node (plus
    // each slot's alignment padding), and the workers' flags.
    const arenaFloats = (depth * totalWidth + totalWidth + 6 * mainNodes) * blockFrames + 4 * depth * shares.length + shares.length + 8;
    if (arenaFloats * 4 > SampleArena.MAX_BYTES) {
      throw new BakeError(
        'plan-invalid',
        `Blocks of ${blockFrames} frames need ${(arenaFloats / 2 ** 28).toFixed(1)} GiB of sample buffers for this mix (limit 4 GiB); use smaller blocks.`,
      );
    }
    const arena = new SampleArena(arenaFloats);
    const slots = shares.map((_, w) => Array.from({ length: depth }, () => arena.allocShared(exportWidth[w]! * blockFrames)));
    const flags = arena.allocShared(shares.length + 1);
    const encodings = shares.map((s) => stemEncodings(s, readers, options.trackNames));
    const exportLatencies = await pool.init(
      run,
      blockFrames,
      {
        memory: arena.buffer,
        slots: slots.map((perSlot) => perSlot.map((view) => view.byteOffset)),
        flags: { byteOffset: flags.byteOffset, length: shares.length + 1 },
        relays: shares.map((s) =>
          s.relays.map((r) => {
            const at = channelOffset(shares[r.from]!, r.id, byId) * 4 * blockFrames;
            return { id: r.id, from: r.from, slots: slots[r.from]!.map((view) => view.byteOffset + at) };
          }),
        ),
      },
      encodings,
    );
    const latencies = new Map<PlanNodeId, number>();
    shares.forEach((s, w) => s.exports.forEach((id, i) => latencies.set(id, exportLatencies[w]![i]!)));
    // A worker takes the partial sum it continues as having no latency: the chain's sum
    // carries the largest of its parts'.
    for (const c of sums.chains) latencies.set(c.partials.at(-1)!, Math.max(...c.partials.map((id) => latencies.get(id)!)));
    const imports = new Map([...latencies].filter(([id]) => mainImports.has(id)));
    // Bus and master strips run fused on the SIMD module too (e.g. the master's gain and
    // glue compressor); their buffers stay in the arena, so the chains copy in and out.
    // An automated node also holds its values per frame in a chain (at most 48 bytes).
    const mainAutomated = run.nodes.filter((n) => n.owner.kind !== 'track' && 'automation' in n && n.automation !== undefined).length;
    const chains = new StripChainMemory((4 << 20) + mainNodes * (6 * 4 * blockFrames + 65536) + mainAutomated * 48 * blockFrames);
    const main = new PlanRuntime(run, { include: (n) => n.owner.kind !== 'track', maxFrames: blockFrames, imports, simd: chains, memory: arena });
    const output = run.nodes.find((n) => n.kind === 'output')!;
    const latencyFrames = options.compensateLatency === false ? 0 : main.latencyOf(output.id);
    const info: BakeMixInfo = { frames: plan.frames, latencyFrames, workers: shares.length };
    const blocks = runBlocks(run, main, pool, readers, shares, encodings, mainImports, slots, { ...options, blockFrames, pipelineDepth: depth, signal }, info, cleanup);
    return { info, close: () => cleanup(), [Symbol.asyncIterator]: () => blocks };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

async function* runBlocks(
  plan: MixPlan,
  main: PlanRuntime,
  pool: TrackWorkerPool,
  readers: ReadonlyMap<PlanNodeId, StemReader>,
  shares: readonly WorkerShare[],
  encodings: readonly (StemEncoding | null)[][],
  mainImports: ReadonlySet<PlanNodeId>,
  slots: readonly Float32Array[][],
  options: BakeMixOptions & { blockFrames: number; pipelineDepth: number; signal: AbortSignal },
  info: BakeMixInfo,
  cleanup: (completed: boolean) => Promise<void>,
): AsyncGenerator<MasterBlock> {
  const { blockFrames, signal } = options;
  const total = info.frames + info.latencyFrames;
  const blockCount = Math.ceil(total / blockFrames);
  const depth = options.pipelineDepth;
  const output = main.bufferOf(plan.nodes.find((n) => n.kind === 'output')!.id);
  // Block b's exports are in slot b % depth: the runtime's import buffers are re-pointed at
  // that slot's channels (the views are made once). Slot b % depth is handed to block
  // b + depth only after block b ran.
  const importViews = Array.from({ length: depth }, (_, slot) =>
    shares.flatMap((s, w) => {
      let at = 0;
      return s.exports.flatMap((id) => {
        const views = Array.from({ length: plan.nodes.find((n) => n.id === id)!.channels }, () => slots[w]![slot]!.subarray(at, (at += blockFrames)));
        // Partial sums another worker continues are not the main thread's to read.
        return mainImports.has(id) ? [{ target: main.bufferOf(id), views }] : [];
      });
    }),
  );
  const stemSpares: Uint8Array[][] = shares.map(() => []);
  const stemLayout = encodings.map((e) => stemBlockLayout(e, blockFrames));
  let aborted: () => void = () => {};
  const abortPromise = new Promise<never>((_, reject) => {
    aborted = () => reject(cancelledError(signal));
    signal.addEventListener('abort', aborted, { once: true });
  });
  abortPromise.catch(() => {});

  // Stem reads must happen in block order; the chain serialises them while workers compute.
  let readChain: Promise<void> = Promise.resolve();
  const start = (b: number): Promise<Uint8Array[]> => {
    const frames = Math.min(blockFrames, total - b * blockFrames);
    const read = readChain.then(() =>
      Promise.all(
        shares.map(async (share, w) => {
          const { offsets, bytes } = stemLayout[w]!;
          const stems = stemSpares[w]!.pop() ?? new Uint8Array(bytes);
          const valid = await Promise.all(
            share.sources.map((src, i) => {
              const reader = readers.get(src.id);
              // A worker reads a local file's blocks itself.
              if (!reader || encodings[w]![i]?.file) return 0;
              return reader.read(stems.subarray(offsets[i]!, offsets[i]! + frames * reader.bytesPerFrame), frames).catch((err: unknown) => {
                throw labelled(err, src, options.trackNames);
              });
            }),
          );
          return { stems, valid };
        }),
      ),
    );
    readChain = read.then(() => undefined);
    readChain.catch(() => {}); // a failed read surfaces through this block's promise

    return read.then((perShare) =>
      Promise.all(pool.workers.map((worker, w) => worker.process(b, frames, perShare[w]!.stems, perShare[w]!.valid, b % depth))),
    );
  };

  const inflight: Promise<Uint8Array[]>[] = [];
  let completed = false;
  try {
    let next = 0;
    let emitted = 0;
    let skip = info.latencyFrames;
    for (let b = 0; b < blockCount; b++) {
      while (next < blockCount && inflight.length < depth) {
        const p = start(next++);
        p.catch(() => {}); // awaited below in order; avoid unhandled rejections meanwhile
        inflight.push(p);
      }
      const results = await Promise.race([inflight.shift()!, abortPromise]);
      const frames = Math.min(blockFrames, total - b * blockFrames);
      results.forEach((stems, w) => stemSpares[w]!.push(stems));
      for (const { target, views } of importViews[b % depth]!) for (let c = 0; c < views.length; c++) target[c] = views[c]!;
      main.run(frames);
      options.onFrames?.(Math.min(info.frames, (b + 1) * blockFrames), total);
      const from = Math.min(skip, frames);
      skip -= from;
      const count = Math.min(frames - from, info.frames - emitted);
      if (count > 0) {
        emitted += count;
        yield { channels: output.map((c) => c.subarray(from, from + count)), frames: count };
      }
      if (signal.aborted) throw cancelledError(signal);
    }
    completed = true;
  } finally {
    signal.removeEventListener('abort', aborted);
    await cleanup(completed);
  }
}

/** Where an export's first channel sits in its worker's slot, in channels. */
function channelOffset(share: WorkerShare, id: PlanNodeId, byId: ReadonlyMap<PlanNodeId, { channels: number }>): number {
  let at = 0;
  for (const e of share.exports) {
    if (e === id) return at;
    at += byId.get(e)!.channels;
  }
  throw new BakeError('plan-invalid', `No worker exports the partial sum "${id}".`);
}

/** The encodings of a share's sources, in order (null: no stem), with where to read local files. */
function stemEncodings(share: WorkerShare, readers: ReadonlyMap<PlanNodeId, StemReader>, names: Readonly<Record<string, string>> | undefined): (StemEncoding | null)[] {
  return share.sources.map((src) => {
    const stream = readers.get(src.id)?.stream;
    if (!stream) return null;
    const local = stream.localFile;
    const file = local && src.stem
      ? { fd: local.fd, dataOffset: local.dataOffset, frames: stream.frames, trackId: src.trackId, trackName: trackLabel(src, names), stemKey: src.stem.key }
      : undefined;
    return { encoding: stream.encoding, bytesPerFrame: stream.bytesPerFrame, ...(file ? { file } : {}) };
  });
}

async function openSource(node: SourcePlanNode, options: BakeMixOptions, plan: MixPlan, signal: AbortSignal): Promise<StemReader | null> {
  if (node.stem === null) return null;
  const stem = node.stem;
  try {
    const stream = await options.stems.open(stem.key, signal);
    const expected = Math.round((stem.frames * plan.sampleRate) / stem.sampleRate);
    const problem =
      stream.sampleRate !== plan.sampleRate
        ? new BakeError('stem-format', `stem "${stem.fileName}" is at ${stream.sampleRate} Hz but the session runs at ${plan.sampleRate} Hz.`)
        : stream.channels !== node.channels
          ? new BakeError('stem-format', `stem "${stem.fileName}" has ${stream.channels} channels; the mix expects ${node.channels}.`)
          : stream.frames < expected
            ? new BakeError(
                'stem-truncated',
                `stem "${stem.fileName}" holds ${stream.frames} frames but the mix expects ${expected} (${(expected / plan.sampleRate).toFixed(2)} s).`,
              )
            : null;
    if (problem) {
      await stream.close();
      throw problem;
    }
    return new StemReader(stream);
  } catch (err) {
    throw labelled(err, node, options.trackNames);
  }
}

/** How errors name a source's track: its name in the mix, else its stem's file name, else its id. */
function trackLabel(node: SourcePlanNode, names: Readonly<Record<string, string>> | undefined): string {
  return names?.[node.trackId] ?? node.stem?.fileName ?? node.trackId;
}

function labelled(err: unknown, node: SourcePlanNode, names: Readonly<Record<string, string>> | undefined): BakeError {
  const name = trackLabel(node, names);
  const e = err instanceof BakeError ? err : new BakeError('stem-corrupt', `reading the stem failed: ${(err as Error).message}`, { cause: err });
  if (e.code === 'cancelled') return e;
  const labelledErr = e.forTrack(node.trackId, name);
  return e.stemKey === undefined && node.stem
    ? new BakeError(labelledErr.code, labelledErr.message, { trackId: node.trackId, trackName: name, stemKey: node.stem.key, cause: e.cause })
    : labelledErr;
}

function validatePlan(plan: MixPlan, sampleRate: number, blockFrames: number): void {
  if (plan === null || typeof plan !== 'object' || !Array.isArray(plan.nodes) || !Array.isArray(plan.edges)) {
    throw new BakeError('plan-invalid', 'The mix plan is not a plan object (nodes and edges missing).');
  }
  if (plan.version !== MIX_PLAN_VERSION) {
    throw new BakeError('plan-invalid', `Mix plan version ${String(plan.version)} is not supported (expected ${MIX_PLAN_VERSION}).`);
  }
  if (!Number.isInteger(plan.frames) || plan.frames < 0) throw new BakeError('plan-invalid', `The mix plan's length ${plan.frames} is not a frame count.`);
  if (plan.sampleRate !== sampleRate) {
    throw new BakeError('plan-invalid', `The plan runs at ${plan.sampleRate} Hz but the bake was asked for ${sampleRate} Hz.`);
  }
  if (!Number.isInteger(blockFrames) || blockFrames < 1 || blockFrames > 1 << 20) {
    throw new BakeError('plan-invalid', `Block size ${blockFrames} is not a frame count between 1 and 1048576.`);
  }
  const outputs = plan.nodes.filter((n) => n.kind === 'output');
  if (outputs.length !== 1) throw new BakeError('plan-invalid', `The mix plan has ${outputs.length} output nodes; it needs exactly one.`);
}
