import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initMixDoc, readMixState, type MixState } from '@mixroom/shared/model';
import { addTrack } from '@mixroom/shared/ops';
import { buildMixPlan } from '@mixroom/shared/plan';
import { biquadResponse, DEESSER_BAND_Q } from '@mixroom/shared/dsp';
import { applyBandListen } from '../client/src/mix/heard/applyBandListen.ts';
import { applyListenSolo, applyMonitorVolume } from '../client/src/mix/heard/applyMonitor.ts';
import { startEngineHarness, type EngineHarness } from './browser/startEngineHarness.ts';
import { createOrigin } from '@mixroom/shared/protocol';

/** Whoever builds the test's mix (no UndoManager tracks it). */
const setup = createOrigin('server', 'test-setup');

/**
 * Private monitoring, rendered through the real client engine in Chromium and measured:
 * the monitor volume is a pure level change after the master, and "listen" is a private
 * solo that leaves the listened track exactly as the shared mix plays it.
 */
const FS = 48000;
const FRAMES = FS; // one second
let h: EngineHarness;
let state: MixState;

const tone = (freq: number, amp: number) => Float32Array.from({ length: FRAMES }, (_, i) => amp * Math.sin((2 * Math.PI * freq * i) / FS));
const rmsDb = (x: Float32Array, from = 4800) => {
  let s = 0;
  for (let i = from; i < x.length; i++) s += x[i]! * x[i]!;
  return 10 * Math.log10(s / (x.length - from));
};
/** Level of `freq` in `x` (dB re full-scale sine) by correlation over whole cycles. */
const toneDb = (x: Float32Array, freq: number, from = 4800) => {
  let re = 0;
  let im = 0;
  for (let i = from; i < x.length; i++) {
    re += x[i]! * Math.cos((2 * Math.PI * freq * i) / FS);
    im += x[i]! * Math.sin((2 * Math.PI * freq * i) / FS);
  }
  return 20 * Math.log10((2 * Math.hypot(re, im)) / (x.length - from));
};

beforeAll(async () => {
  h = await startEngineHarness();
  const doc = new Y.Doc();
  initMixDoc(doc, { title: 'monitor', sampleRate: FS, reverbBusId: 'rev', delayBusId: 'dly' });
  for (const [id, freq] of [['a', 440], ['b', 1000]] as const) {
    const key = `stem-${id}`;
    h.putStem(key, [tone(freq, 0.25)]);
    addTrack(doc, { id, name: id, stem: { key, fileName: `${id}.wav`, sampleRate: FS, channels: 1, frames: FRAMES } }, setup);
  }
  state = readMixState(doc);
}, 120_000);

afterAll(async () => {
  await h?.close();
});

describe('private monitoring through the engine', () => {
  it('monitor volume changes the output level by exactly its dB and nothing else', async () => {
    const plan = buildMixPlan(state);
    const unity = await h.render({ plan: applyMonitorVolume(plan, 0), frames: FRAMES });
    const down = await h.render({ plan: applyMonitorVolume(plan, -6), frames: FRAMES });
    const gain = Math.pow(10, -6 / 20);
    for (let c = 0; c < 2; c++) {
      const u = unity.channels[c]!;
      const d = down.channels[c]!;
      expect(rmsDb(d) - rmsDb(u)).toBeCloseTo(-6, 2);
      // Null test: the quieter render is the louder one scaled, sample for sample.
      const residual = Float32Array.from(d, (v, i) => v - gain * u[i]!);
      expect(rmsDb(residual) - rmsDb(u)).toBeLessThan(-100);
    }
  });

  it('listen on one track plays it alone, at the level the shared mix gives it', async () => {
    const listened = await h.render({ plan: buildMixPlan(applyListenSolo(state, new Set(['a']))), frames: FRAMES });
    const full = await h.render({ plan: buildMixPlan(state), frames: FRAMES });
    const l = listened.channels[0]!;
    const f = full.channels[0]!;
    expect(toneDb(l, 1000)).toBeLessThan(-100); // the other track is gone
    expect(Math.abs(toneDb(l, 440) - toneDb(f, 440))).toBeLessThan(0.01); // the listened one is untouched
    // The shared state is not changed by listening.
    expect(state.tracks.every((t) => !t.solo)).toBe(true);
  });

  it("band listen plays a track's de-esser band alone (even with the de-esser off); the shared plan is untouched", async () => {
    const shared = buildMixPlan(applyListenSolo(state, new Set(['a'])));
    const band = await h.render({ plan: applyBandListen(shared, new Set(['a'])), frames: FRAMES });
    const full = await h.render({ plan: shared, frames: FRAMES });
    const freq = state.tracks[0]!.deess.freq;
    // The 440 Hz tone through the band-pass at the de-esser's frequency, and nothing else.
    const expected = 20 * Math.log10(biquadResponse({ type: 'bandpass', frequency: freq, Q: DEESSER_BAND_Q, gain: 0 }, FS, [440]).magnitude[0]!);
    const measured = toneDb(band.channels[0]!, 440) - toneDb(full.channels[0]!, 440);
    console.log(`band listen: 440 Hz under a ${freq} Hz band ${measured.toFixed(3)} dB (band-pass response ${expected.toFixed(3)} dB)`);
    expect(Math.abs(measured - expected)).toBeLessThan(0.05);
    expect(toneDb(band.channels[0]!, 1000)).toBeLessThan(-100);
    // Nothing in the plan every peer and the bake build says listen.
    expect(state.tracks.every((t) => !t.deess.on)).toBe(true);
    expect(shared.nodes.some((n) => n.kind === 'deesser' && (n.params.listen || !n.bypass))).toBe(false);
  });
});
