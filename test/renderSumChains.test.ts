import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMixPlan, type MixPlan } from '@mixroom/shared/plan';
import { testMix } from '../shared/src/plan/testing/testMix.ts';
import { BakeError } from '../server/src/render/BakeError.ts';
import { bakeMix } from '../server/src/render/bakeMix.ts';
import { createFileStemSource } from '../server/src/render/input/createFileStemSource.ts';
import { partitionPlan } from '../server/src/render/runtime/partitionPlan.ts';
import { planSumChains } from '../server/src/render/runtime/planSumChains.ts';
import { PlanRuntime } from '../server/src/render/runtime/PlanRuntime.ts';
import { collect, noise, rmsDb, sine, tempDir, writeStem } from './renderFixtures.ts';
import { defaultDelay, defaultReverb, defaultSend } from '@mixroom/shared/model';

/**
 * The workers sum the buses' track inputs along the chain of workers (planSumChains) and
 * every runtime adds inputs as soon as they are produced. Float sums depend on their order,
 * so these are checked where the order could slip: bus inputs in an order that does not
 * follow the workers, a bus that sums stereo tracks into mono, mono tracks into a stereo
 * bus, 1 to 3 workers and odd block sizes. The bake must equal the plan run node by node
 * on one thread with every sum done when its node runs, bit for bit.
 */
const RATE = 48000;
const FRAMES = RATE + 555;
const TRACKS = 7;

let dir: string;
let dispose: () => Promise<void>;
const stems = new Map<string, Float32Array[]>();

beforeAll(async () => {
  ({ dir, dispose } = await tempDir());
  for (let i = 0; i < TRACKS; i++) {
    // Odd tracks mono, even ones stereo; loud enough that float rounding shows in every sum.
    const chans = i % 2 ? [sine(FRAMES, 80 + 37 * i, 0.5)] : [noise(FRAMES, 0.5, 100 + i), noise(FRAMES, 0.5, 200 + i)];
    stems.set(`s${i}.wav`, chans);
    await writeStem(dir, `s${i}.wav`, chans);
  }
});
afterAll(() => dispose());

function plan(): MixPlan {
  const sends = [
    { ...defaultSend('verb'), level: -3, pre: false, on: true },
    { ...defaultSend('echo'), level: -5, pre: true, on: true },
  ];
  const tracks = [...stems.keys()].map((key, i) =>
    testMix.track(`t${i}`, {
      stem: { ...testMix.stem(key, stems.get(key)!.length, FRAMES), fileName: key },
      gain: -2 - i,
      pan: (i - 3) / 4,
      sends,
      output: i >= 4 ? 'grp' : 'master',
    }),
  );
  const p = buildMixPlan(
    testMix.state(tracks, [
      testMix.bus('verb', 'aux', { effect: { ...defaultReverb(), decay: 0.6, preDelay: 0.01, damping: 7000 }, order: 1 }),
      testMix.bus('echo', 'aux', { effect: { ...defaultDelay(), time: 0.05, feedback: 0.4, damping: 6000 }, order: 2 }),
      testMix.bus('grp', 'group', { gain: -1, order: 3 }),
    ]),
  );
  // The reverb's inputs interleave the tracks (t0, t6, t1, t5, ...): its chain is t0 on the
  // first worker and t6 on the last, and a runtime that sums them as they are produced
  // must still add t1 after t6.
  const verb = p.edges.filter((e) => e.to === 'bus:verb:in');
  const interleaved = verb.map((_, k) => verb[k % 2 ? verb.length - 1 - (k >> 1) : k >> 1]!);
  // The echo's inputs run backwards: its chain is the last worker's t6, t5, which that
  // worker produces in the other order, so it must not sum them as they come.
  const echo = p.edges.filter((e) => e.to === 'bus:echo:in').reverse();
  // The group sums its stereo tracks into mono (Web Audio's 0.5 (L + R) down-mix) before its strip.
  const nodes = p.nodes.map((n) => (n.id === 'bus:grp:in' ? { ...n, channels: 1 as const } : n));
  return { ...p, nodes, edges: [...p.edges.filter((e) => e.to !== 'bus:verb:in' && e.to !== 'bus:echo:in'), ...interleaved, ...echo] };
}

/** One thread, plain arrays, every input summed when its node runs. */
function reference(p: MixPlan, blockFrames: number): Float32Array[] {
  const rt = new PlanRuntime(p, { include: () => true, maxFrames: blockFrames, earlySums: false });
  const output = rt.bufferOf(p.nodes.find((n) => n.kind === 'output')!.id);
  const out = [new Float32Array(p.frames), new Float32Array(p.frames)];
  for (let at = 0; at < p.frames; at += blockFrames) {
    const frames = Math.min(blockFrames, p.frames - at);
    for (const src of p.nodes) {
      if (src.kind !== 'source') continue;
      const data = stems.get(src.stem!.key)!;
      rt.bufferOf(src.id).forEach((ch, c) => ch.set(data[c]!.subarray(at, at + frames)));
    }
    rt.run(frames);
    out.forEach((o, c) => o.set(output[c]!.subarray(0, frames), at));
  }
  return out;
}

describe('bus sums along the workers', () => {
  it('chains the buses whose inputs follow the workers and exports the rest one by one', () => {
    const p = plan();
    const { chains, shares, mainImports } = planSumChains(p, partitionPlan(p, 3).shares);
    // Contiguous runs balanced by weight (stereo strips weigh more); the group's t4..t6 span two workers.
    expect(shares.map((s) => s.trackIds)).toEqual([['t0', 't1'], ['t2', 't3', 't4'], ['t5', 't6']]);
    // The echo's chain is t6, t5 only, the reverb's t0 then t6 (worker 1 has none of it).
    expect(chains.map((c) => c.target).sort()).toEqual(['bus:echo:in', 'bus:grp:in', 'bus:verb:in', 'master::fader']);
    expect(chains.find((c) => c.target === 'bus:verb:in')!.partials).toEqual(['sum:bus:verb:in:0', 'sum:bus:verb:in:2']);
    expect(shares[2]!.relays).toContainEqual({ id: 'sum:bus:verb:in:0', from: 0 });
    expect([...mainImports].filter((id) => id.endsWith(':send:verb')).sort()).toEqual(['track:t1:send:verb', 'track:t2:send:verb', 'track:t3:send:verb', 'track:t4:send:verb', 'track:t5:send:verb']);
    expect(chains.find((c) => c.target === 'bus:echo:in')!.partials).toEqual(['sum:bus:echo:in:2']);
    expect([...mainImports].filter((id) => id.endsWith(':send:echo')).sort()).toEqual(['track:t0:send:echo', 'track:t1:send:echo', 'track:t2:send:echo', 'track:t3:send:echo', 'track:t4:send:echo']);
  });

  it('equals the one-thread reference bit for bit, for 1-3 workers and any block size', async () => {
    const p = plan();
    const ref = reference(p, 512);
    expect(rmsDb(ref[0]!)).toBeGreaterThan(-30);
    for (const [workers, blockFrames] of [[1, 4096], [2, 1000], [3, 333], [3, 8192]] as const) {
      const out = await collect(await bakeMix(p, { stems: createFileStemSource(dir), workers, blockFrames, compensateLatency: false }));
      for (let c = 0; c < 2; c++) {
        const mismatch = out[c]!.findIndex((v, i) => !Object.is(v, ref[c]![i]));
        expect({ workers, blockFrames, c, mismatch }).toEqual({ workers, blockFrames, c, mismatch: -1 });
      }
    }
  });

  it('stops with "cancelled" while workers wait on each other, and every worker ends', async () => {
    const controller = new AbortController();
    const stream = await bakeMix(plan(), { stems: createFileStemSource(dir), workers: 3, blockFrames: 128, signal: controller.signal });
    let blocks = 0;
    const err = await (async () => {
      for await (const _ of stream) if (++blocks === 3) controller.abort();
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BakeError);
    expect((err as BakeError).code).toBe('cancelled');
    expect(blocks).toBe(3);
    // close() resolves once the worker threads have exited.
    await stream.close();
  });
});
