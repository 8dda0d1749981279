import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMixPlan } from '@mixroom/shared/plan';
import { testMix } from '../shared/src/plan/testing/testMix.ts';
import { bakeMix } from '../server/src/render/bakeMix.ts';
import { BakeError } from '../server/src/render/BakeError.ts';
import { createFileStemSource } from '../server/src/render/createFileStemSource.ts';
import { collect, noise, nullDb, rmsDb, sine, tempDir, writeStem } from './renderFixtures.ts';

const RATE = 48000;
const FRAMES = RATE * 2 + 123; // not a multiple of any block size

let dir: string;
let dispose: () => Promise<void>;
const left = noise(FRAMES, 0.5, 1);
const right = noise(FRAMES, 0.5, 2);
const tone = sine(FRAMES, 997, 0.25);

beforeAll(async () => {
  ({ dir, dispose } = await tempDir());
  await writeStem(dir, 'stereo.wav', [left, right]);
  await writeStem(dir, 'tone.wav', [tone]);
});
afterAll(() => dispose());

const stereoTrack = (id: string, over = {}) => testMix.track(id, { stem: { ...testMix.stem('stereo.wav', 2, FRAMES), fileName: 'stereo.wav' }, ...over });
const toneTrack = (id: string, over = {}) => testMix.track(id, { stem: { ...testMix.stem('tone.wav', 1, FRAMES), fileName: 'tone.wav' }, ...over });

describe('bakeMix', () => {
  it('reproduces a stem through a unity plan (null below -120 dB before dither)', async () => {
    const plan = buildMixPlan(testMix.state([stereoTrack('a')]));
    const out = await collect(await bakeMix(plan, { stems: createFileStemSource(dir), workers: 1 }));
    expect(out[0]!.length).toBe(FRAMES);
    const residual = Math.max(nullDb(out[0]!, left), nullDb(out[1]!, right));
    console.log(`unity null residual: ${residual} dBFS`);
    expect(residual).toBeLessThanOrEqual(-120);
  });
});
