import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MixState } from '@mixroom/shared/model';
import { buildMixPlan, type MixPlan } from '@mixroom/shared/plan';
import { testMix } from '../shared/src/plan/testing/testMix.ts';
import { bakeMix } from '../server/src/render/bakeMix.ts';
import { createFileStemSource } from '../server/src/render/input/createFileStemSource.ts';
import { PlanRuntime } from '../server/src/render/runtime/PlanRuntime.ts';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { collect, noise, pcmWav, quantize, rmsDb, sine, tempDir, writeStem } from './renderFixtures.ts';
import { defaultCompressor, defaultDelay, defaultMaster, defaultReverb, defaultSend } from '@mixroom/shared/model';

const RATE = 48000;
const FRAMES = RATE + 777;

let dir: string;
let dispose: () => Promise<void>;
const stems = new Map<string, Float32Array[]>([
  ['drums.wav', [noise(FRAMES, 0.4, 11), noise(FRAMES, 0.4, 12)]],
  ['bass.wav', [sine(FRAMES, 61, 0.5)]],
  ['keys.wav', [sine(FRAMES, 440, 0.2), sine(FRAMES, 443, 0.2)]],
  // Shorter than the song: silence after its end.
  ['short.wav', [noise(FRAMES >> 1, 0.3, 13), noise(FRAMES >> 1, 0.3, 14)]],
  // Integer PCM stems (the bake worker decodes these in its SIMD module).
  ['pad.wav', [quantize(noise(FRAMES, 0.5, 15), 24), quantize(sine(FRAMES, 220, 0.9), 24)]],
  ['vox.wav', [quantize(noise(FRAMES, 0.6, 16), 16)]],
]);
const pcmBits = new Map<string, 16 | 24>([
  ['pad.wav', 24],
  ['vox.wav', 16],
]);

beforeAll(async () => {
  ({ dir, dispose } = await tempDir());
  for (const [key, channels] of stems) {
    const bits = pcmBits.get(key);
    if (bits) await writeFile(path.join(dir, key), pcmWav(channels, bits));
    else await writeStem(dir, key, channels);
  }
});
afterAll(() => dispose());

/**
 * Unity sends (identity nodes whose buffers alias the fader's), a pre-fader send, a group,
 * a sidechain, mono and stereo stems, a short stem and a track without one: the cases the
 * bake's machinery (workers, shared-memory export slots written in place, SIMD bus sums,
 * fused strip chains) must not change a sample of.
 */
function mix(): MixState {
  const stem = (key: string) => ({ ...testMix.stem(key, stems.get(key)!.length, stems.get(key)![0]!.length), fileName: key });
  const unity = [
    { ...defaultSend('verb'), level: 0, pre: false, on: true },
    { ...defaultSend('echo'), level: 0, pre: false, on: true },
  ];
  const m = testMix.state(
    [
      testMix.track('drums', { stem: stem('drums.wav'), gain: -3, pan: -0.3, sends: unity, output: 'grp' }),
      testMix.track('bass', { stem: stem('bass.wav'), sends: [{ ...defaultSend('verb'), level: -6, pre: true, on: true }] }),
      testMix.track('keys', { stem: stem('keys.wav'), pan: 0.4, sends: unity }),
      testMix.track('short', { stem: stem('short.wav'), gain: -1, output: 'grp' }),
      testMix.track('none', { stem: null, sends: unity }),
      testMix.track('pad', { stem: stem('pad.wav'), gain: -6, pan: -0.6, sends: unity }),
      testMix.track('vox', { stem: stem('vox.wav'), gain: -4, pan: 0.2, output: 'grp' }),
    ],
    [
      testMix.bus('grp', 'group', { gain: -2 }),
      testMix.bus('verb', 'aux', { effect: { ...defaultReverb(), decay: 0.8, preDelay: 0.01, damping: 6000 }, order: 1 }),
      testMix.bus('echo', 'aux', { effect: { ...defaultDelay(), time: 0.125, feedback: 0.3, damping: 5000 }, order: 2 }),
    ],
  );
  m.tracks[1]!.comp = { ...defaultCompressor(), on: true, threshold: -30, ratio: 4, attack: 0.003, release: 0.08, knee: 3, makeup: 1, sidechain: 'drums' };
  m.master = { ...defaultMaster(), gain: -1, glue: { ...defaultMaster().glue, on: true, threshold: -16, ratio: 2, attack: 0.01, release: 0.2, knee: 6, makeup: 0 }, limiter: { ...defaultMaster().limiter, on: true, ceiling: -1, release: 0.05 }, automation: {} };
  return m;
}

/** The plan run node by node on one thread, plain arrays, scalar sums: the reference. */
function reference(plan: MixPlan, blockFrames: number): Float32Array[] {
  const rt = new PlanRuntime(plan, { include: () => true, maxFrames: blockFrames, earlySums: false });
  const sources = plan.nodes.flatMap((n) => (n.kind === 'source' ? [n] : []));
  const output = rt.bufferOf(plan.nodes.find((n) => n.kind === 'output')!.id);
  const out = [new Float32Array(plan.frames), new Float32Array(plan.frames)];
  for (let at = 0; at < plan.frames; at += blockFrames) {
    const frames = Math.min(blockFrames, plan.frames - at);
    for (const src of sources) {
      const data = src.stem ? stems.get(src.stem.key)! : null;
      rt.bufferOf(src.id).forEach((ch, c) => {
        ch.fill(0, 0, frames);
        if (data) ch.set(data[c]!.subarray(at, Math.min(at + frames, data[c]!.length)));
      });
    }
    rt.run(frames);
    out.forEach((o, c) => o.set(output[c]!.subarray(0, frames), at));
  }
  return out;
}

describe('bakeMix against a one-thread reference', () => {
  it('equals the plan run node by node, bit for bit, for 1-3 workers and any block size', async () => {
    const plan = buildMixPlan(mix());
    expect(plan.frames).toBe(FRAMES);
    const ref = reference(plan, 512);
    expect(rmsDb(ref[0]!)).toBeGreaterThan(-40);
    for (const [workers, blockFrames] of [[1, 4096], [2, 1000], [3, 333], [2, 8192]] as const) {
      const stream = await bakeMix(plan, { stems: createFileStemSource(dir), workers, blockFrames, compensateLatency: false });
      const out = await collect(stream);
      for (let c = 0; c < 2; c++) {
        const mismatch = out[c]!.findIndex((v, i) => !Object.is(v, ref[c]![i]));
        expect({ workers, blockFrames, c, mismatch }).toEqual({ workers, blockFrames, c, mismatch: -1 });
      }
    }
  });
});
