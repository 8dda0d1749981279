import type { EqBandState, TrackState } from '@mixroom/shared/model';
import { buildMixPlan, type MixPlan } from '@mixroom/shared/plan';
import { testMix } from '../../../../shared/src/plan/testing/testMix.ts';
import { describe, expect, it } from 'vitest';
import { BiquadProcessor, CompressorProcessor, DeesserProcessor, GateProcessor } from '@mixroom/shared/dsp';
import { noise as seededNoise } from '../../../../test/renderFixtures.ts';
import { PlanRuntime } from '../runtime/PlanRuntime.ts';
import type { ChainStage } from './ChainStage.ts';
import { createChainKernel } from './createChainKernel.ts';
import { createKeyedGateKernel } from './createKeyedGateKernel.ts';
import type { NodeKernel } from '../runtime/NodeKernel.ts';
import { planStripChains } from './planStripChains.ts';
import { StripChainMemory } from './StripChainMemory.ts';
import { DEFAULT_EQ_BANDS, defaultCompressor, defaultEq, defaultSend } from '@mixroom/shared/model';

/** The render tests' seeded noise, with some exact zeros and negative zeros mixed in. */
function noise(frames: number, amp: number, seed: number): Float32Array {
  const out = seededNoise(frames, amp, seed);
  for (let i = 5; i < frames; i += 997) out[i] = -0;
  for (let i = 7; i < frames; i += 991) out[i] = 0;
  return out;
}

/** Tracks covering every fusable stage: each EQ type, polarity, mono and stereo, all pan laws, a unity and a zero mute, open and closed sends. */
function chainMix(): MixPlan {
  const band = (type: EqBandState['type'], freq: number, gain: number, q: number): EqBandState => ({ ...DEFAULT_EQ_BANDS[0], on: true, type, freq, gain, q });
  const eq = (v: number): TrackState['eq'] => ({
    hpf: { ...defaultEq().hpf, on: true, freq: 35 + 10 * v, q: Math.SQRT1_2 },
    lpf: { ...defaultEq().lpf, on: v % 2 === 1, freq: 16000 - 500 * v, q: 0.9 },
    bands: [band('lowshelf', 100 + v, 3 - v, 0.7), band('peaking', 400, -4, 1.3), band(v % 2 ? 'notch' : 'bandpass', 3000, 0, 2), band('highshelf', 9000, 2, 0.7)],
  });
  // t6 is mono with a sidechained compressor: its second chain starts at the bypass delay,
  // reading one mono buffer into a stereo output.
  // t7 (stereo, LPF on) and t8 (mono, HPF only) gate keyed by t4 and t2: in their chains,
  // t2's chain keeping its HPF output for t8's key (a tap).
  const pans = [-1, -0.35, 0, 0.4, 1, -0.8, 0.2, 0.6, -0.5];
  const tracks = pans.map((pan, v) =>
    testMix.track(`t${v}`, {
      order: v,
      stem: testMix.stem(`t${v}`, v % 3 === 2 || v === 6 ? 1 : 2, 48000),
      trim: -3 + v,
      polarity: v % 2 === 1,
      gain: -2 - v,
      pan,
      // Stereo t0 (pan -1) and t4 (+1): the Web Audio law's two branches; t1 and t3: balance on each side.
      panLaw: v % 2 ? 'balance' : 'webaudio',
      mute: v === 5,
      eq: eq(v),
      // t1 compresses keyed by t0 (stays JavaScript); t2 (mono), t3 and t4 compress their own signal (fused).
      comp: { ...defaultCompressor(), on: (v >= 1 && v <= 4) || v === 6, threshold: -30 + 3 * v, ratio: 2 + v, attack: 0.001 * v, release: 0.05 + 0.02 * v, knee: v === 4 ? 0 : 6, makeup: 2, sidechain: v === 1 || v === 6 ? 't0' : null },
      // Gates opening and closing on the noise: t2 (mono, a 1:3 expander) and t4 (stereo, a
      // hard gate) keyed by themselves (fused), t6 keyed by t4 (stays JavaScript).
      gate: {
        ...testMix.track('x').gate,
        on: v === 2 || v === 4 || v >= 6,
        threshold: -4 - v,
        ratio: v === 2 ? 3 : 100,
        range: -30 - 5 * v,
        hold: 0.001,
        release: 0.005 + 0.001 * v,
        hysteresis: 2,
        scHpf: 40 + 100 * v,
        sidechain: v === 6 || v === 7 ? 't4' : v === 8 ? 't2' : null,
      },
      // De-essers pulling the noise's band down: t2 (mono) and t4 split, t3 wide (fused).
      deess: { ...testMix.track('x').deess, on: v >= 2 && v <= 4, mode: v === 3 ? 'wide' : 'split', freq: 4000 + 1500 * v, threshold: -28 + v, range: 4 + 2 * v },
      // t2 (mono) and t4 (stereo) have their send switched off: a send of gain 0.
      sends: [{ ...defaultSend('verb'), level: -10 - v, pre: v === 3, on: v !== 2 && v !== 4 }],
      automation: lanes(v),
    }),
  );
  return buildMixPlan(testMix.state(tracks, [testMix.bus('verb', 'aux')]));
}

/**
 * Lanes moving fast over the 0.2 s the tests render: t0 (stereo, Web Audio law: the pan
 * crosses the centre, so the formula changes), t2 (mono) and t3 (stereo, balance) ride the
 * fader, pan, send and mute, an EQ band's gain (t0, t3) and frequency (t3), in steps and
 * ramps. The others have none.
 */
function lanes(v: number): TrackState['automation'] {
  if (v !== 0 && v !== 2 && v !== 3) return {};
  const lane = (values: readonly number[], every: number, curve: (k: number) => 'linear' | 'step' = (k) => (k % 3 === 2 ? 'step' : 'linear')) => ({
    points: values.map((value, k) => ({ id: `p${k}`, time: 0.003 + k * every, value, curve: curve(k) })),
  });
  return {
    gain: lane([-6, 0, -20, -3, -12, 2, -8], 0.027),
    pan: lane([-0.9, 0.7, -0.2, 0, 0.5, -1, 1], 0.031),
    'sends.verb.level': lane([-20, -6, -30, -10, -14], 0.04),
    mute: lane([0, 1, 0, 0], 0.05, () => 'step'),
    ...(v !== 2 ? { 'eq.bands.1.gain': lane([-8, 6, -2, 9, 0], 0.035) } : {}),
    ...(v === 3 ? { 'eq.bands.2.freq': lane([800, 5000, 2500, 12000], 0.05) } : {}),
  };
}

/** Renders the plan block by block through one runtime; returns every node's output per block, concatenated. */
function render(plan: MixPlan, blocks: readonly number[], simd?: StripChainMemory): Map<string, Float32Array[]> {
  const maxFrames = Math.max(...blocks);
  const rt = new PlanRuntime(plan, { include: () => true, maxFrames, simd });
  const taps = plan.nodes.filter((n) => n.kind === 'output' || n.role.startsWith('send:'));
  const out = new Map<string, Float32Array[]>(taps.map((n) => [n.id, []]));
  let at = 0;
  blocks.forEach((frames, b) => {
    plan.nodes.forEach((n, k) => {
      if (n.kind !== 'source') return;
      rt.bufferOf(n.id).forEach((ch, c) => ch.set(noise(frames, 0.7, 1 + k * 31 + c * 7 + b * 1013)));
    });
    rt.run(frames);
    for (const n of taps) out.get(n.id)!.push(...rt.bufferOf(n.id).map((ch) => ch.slice(0, frames)));
    at += frames;
  });
  return out;
}

const bits = (a: Float32Array): Uint32Array => new Uint32Array(a.buffer, a.byteOffset, a.length);

/**
 * Runs a JavaScript processor and its chain stage alone (or `kernel`) over `input` (keyed
 * by `key` if given) in blocks of changing size (4096, 1, 333, 128, ...), and fails at the
 * first sample that differs (NaN equals NaN). Returns the JavaScript output and the largest
 * reduction its meter read.
 */
function stageAgainstKernel(
  js: { process(i: readonly Float32Array[], o: readonly Float32Array[], n: number, sidechain?: readonly Float32Array[], at?: number): void; takeGainReductionPeak(): number },
  stage: ChainStage | NodeKernel,
  input: readonly Float32Array[],
  label: string,
  key?: readonly Float32Array[],
  /** Song frame of the first sample: both are told each block's (the de-esser's sub-blocks are placed by it). */
  songStart = 0,
): { js: Float32Array[]; reduction: number; readings: { end: number; peak: number }[] } {
  const frames = input[0]!.length;
  const channels = input.length as 1 | 2;
  const kernel = 'process' in stage ? stage : createChainKernel(new StripChainMemory(), [stage], channels, channels, 4096);
  const a = input.map(() => new Float32Array(frames));
  const b = input.map(() => new Float32Array(frames));
  let reduction = 0;
  const readings: { end: number; peak: number }[] = [];
  for (let at = 0, k = 0; at < frames; k++) {
    const n = Math.min([4096, 1, 333, 128][k % 4]!, frames - at);
    const sc = key?.map((c) => c.subarray(at, at + n));
    js.process(input.map((c) => c.subarray(at, at + n)), a.map((c) => c.subarray(at, at + n)), n, sc, songStart + at);
    kernel.process(input.map((c) => c.subarray(at, at + n)), b.map((c) => c.subarray(at, at + n)), n, sc, songStart + at);
    const peak = js.takeGainReductionPeak();
    reduction = Math.max(reduction, peak);
    readings.push({ end: at + n, peak });
    at += n;
  }
  for (let c = 0; c < channels; c++) {
    for (let i = 0; i < frames; i++) {
      const same = Object.is(a[c]![i], b[c]![i]) || (Number.isNaN(a[c]![i]) && Number.isNaN(b[c]![i]));
      if (!same) expect.fail(`${label}, channel ${c} sample ${i}: ${a[c]![i]} vs ${b[c]![i]}`);
    }
  }
  return { js: a, reduction, readings };
}

describe('SIMD strip chains', () => {
  it('finds the strip runs: trim through EQ, then compressor through mute with the sends', () => {
    const plan = chainMix();
    const chains = [...planStripChains(plan, (n) => n.owner.kind === 'track', plan.sampleRate).values()];
    const describe = (track: string) =>
      chains
        .filter((c) => c.nodes[0]!.owner.id === track)
        .map((c) => `${c.nodes.map((n) => n.role).join(',')} | sends ${c.sends.map((n) => n.role).join(',')} | ${c.stages.map((st) => st.kind).join(',')}`);
    // t0 keys t1's compressor, so its eq3 has two readers and ends the first run; its
    // compressor is off (an exact copy), the bypassed saturation keeps its latency as a delay.
    // Its lanes stay in the chains: an automated EQ band, fader, send, pan and mute.
    expect(describe('t0')).toEqual([
      'trim,hpf,lpf,gate,eq0,eq1,eq2,eq3 | sends  | gain,biquad,biquad,autoBiquad,biquad,biquad',
      'comp,deess,sat,fader,pan,mute | sends send:verb | delay,autoGain,autoSend,autoPan,autoGain',
    ]);
    // t1's compressor is on (it stays a JavaScript kernel, sidechained). The muted t5's zero
    // mute gain fuses too (the last 'gain').
    expect(describe('t1')).toEqual([
      'trim,hpf,lpf,gate,eq0,eq1,eq2,eq3 | sends  | gain,biquad,biquad,biquad,biquad,biquad,biquad',
      'deess,sat,fader,pan,mute | sends send:verb | delay,gain,send,pan',
    ]);
    // A compressor detecting its own signal is a stage like any other, and so is a de-esser;
    // a strip automated all over (two EQ bands, fader, pre-fader send, balance pan, mute) is one chain.
    expect(describe('t3')).toEqual([
      'trim,hpf,lpf,gate,eq0,eq1,eq2,eq3,comp,deess,sat,fader,pan,mute | sends send:verb | gain,biquad,biquad,autoBiquad,autoBiquad,biquad,comp,deess,delay,autoSend,autoGain,autoPan,autoGain',
    ]);
    // A gate keyed by its own input is a stage of its own (t2 mono, t4 stereo), and so is one
    // keyed by another track with as many channels (t7 by t4, t8 by t2); t6's (mono, keyed by
    // the stereo t4) is not.
    const gated = (track: string) => chains.filter((c) => c.nodes[0]!.owner.id === track).some((c) => c.stages.some((st) => st.kind === 'gate'));
    expect([gated('t2'), gated('t4'), gated('t6'), gated('t7'), gated('t8')]).toEqual([true, true, false, true, true]);
    // t2's chain goes on past the HPF output t8's gate keys on, keeping a copy of it (a send of
    // gain 1 into lpf's buffer); t4's, read by t6 too, ends there.
    expect(describe('t2')[0]).toMatch(/^trim,hpf,lpf,gate,eq0,.* \| sends lpf,send:verb \| gain,biquad,send,gate,/);
    expect(describe('t4')[0]).toBe('trim,hpf,lpf | sends  | gain,biquad');
    const keys = chains.flatMap((c) => c.stages.flatMap((st) => (st.kind === 'gate' && st.key ? [`${c.nodes[0]!.owner.id}<${st.key}`] : [])));
    expect(keys).toEqual(['t7<track:t4:lpf', 't8<track:t2:lpf']);
    const deessed = (track: string) => chains.filter((c) => c.nodes[0]!.owner.id === track).some((c) => c.stages.some((st) => st.kind === 'deess'));
    expect([deessed('t2'), deessed('t3'), deessed('t4'), deessed('t5')]).toEqual([true, true, true, false]);
    // A strip with nothing on it that cannot be fused is one chain, end to end.
    expect(describe('t5')).toEqual([
      'trim,hpf,lpf,gate,eq0,eq1,eq2,eq3,comp,deess,sat,fader,pan,mute | sends send:verb | gain,biquad,biquad,biquad,biquad,biquad,biquad,delay,gain,send,pan,gain',
    ]);
  });

  it('renders bit for bit what the node-by-node JavaScript kernels render, for any block size', () => {
    const plan = chainMix();
    for (const blocks of [[4096, 4096, 1000], [128, 1, 333, 4096]]) {
      const js = render(plan, blocks);
      const fused = render(plan, blocks, new StripChainMemory());
      let compared = 0;
      let peak = 0;
      for (const [id, chans] of js) {
        chans.forEach((ch, i) => {
          const other = fused.get(id)![i]!;
          expect(bits(other), `${id} block/channel ${i}`).toEqual(bits(ch));
          for (const s of ch) peak = Math.max(peak, Math.abs(s));
          compared += ch.length;
        });
      }
      expect(compared).toBeGreaterThan(40_000);
      expect(peak).toBeGreaterThan(0.1); // real signal went through, not silence
    }
  });

  it('the compressor stage equals the JavaScript compressor, peak and rms, mono and stereo, through NaN and infinite samples', () => {
    // One second of loud/quiet bursts with NaN and infinities, then 6 s far below the
    // threshold (-80 dBFS), in which the reduction decays below its 1e-9 floor and snaps to
    // 0 (the chain's compressor reruns a chunk with the range check only when that
    // happens; the gain then is exactly the makeup, which the output shows).
    const frames = 48000 * 7;
    const signal = (seed: number): Float32Array => {
      const x = noise(frames, 1, seed);
      for (let i = 0; i < frames; i++) x[i] = x[i]! * (i >= 48000 ? 1e-4 : i % 12000 < 6000 ? 0.9 : 0.02); // loud/quiet: attack and release
      x[777] = NaN;
      x[20001] = Infinity;
      x[30002] = -Infinity;
      x[40003] = 3e38;
      return x;
    };
    for (const detector of ['peak', 'rms'] as const) {
      for (const channels of [1, 2] as const) {
        const input = Array.from({ length: channels }, (_, c) => signal(11 + c));
        const js = new CompressorProcessor(48000);
        js.setParams({ threshold: -20, ratio: 4, attack: 0.003, release: 0.08, knee: 6, makeup: 3, detector });
        const stage = { kind: 'comp' as const, detector, constants: js.steadyState() };
        const kernel = createChainKernel(new StripChainMemory(), [stage], channels, channels, 4096);
        const a = input.map(() => new Float32Array(frames));
        const b = input.map(() => new Float32Array(frames));
        for (let at = 0; at < frames; at += 4096) {
          const n = Math.min(4096, frames - at);
          js.process(input.map((c) => c.subarray(at, at + n)), a.map((c) => c.subarray(at, at + n)), n);
          kernel.process(input.map((c) => c.subarray(at, at + n)), b.map((c) => c.subarray(at, at + n)), n);
        }
        let reduced = 0;
        for (let c = 0; c < channels; c++) {
          for (let i = 0; i < frames; i++) {
            const same = Object.is(a[c]![i], b[c]![i]) || (Number.isNaN(a[c]![i]) && Number.isNaN(b[c]![i]));
            if (!same) expect.fail(`${detector} ${channels} ch, channel ${c} sample ${i}: ${a[c]![i]} vs ${b[c]![i]}`);
            if (Math.abs(a[c]![i]!) < Math.abs(input[c]![i]!) * 0.7) reduced++;
          }
        }
        expect(reduced, 'the compressor really reduced the loud parts').toBeGreaterThan(frames / 20);
        expect(js.steadyState().gainReduction, 'the reduction decayed past its floor to 0 in the silence').toBe(0);
      }
    }
  });

  it('the de-esser stage equals the JavaScript de-esser, split and wide, mono and stereo, through NaN and infinite samples', () => {
    // Half a second of sibilant bursts (loud noise) and quiet parts, NaN and infinities, then
    // 2 s far below the threshold, in which the reduction decays below its floor to 0.
    const frames = 48000 * 5 / 2;
    const signal = (seed: number): Float32Array => {
      const x = noise(frames, 1, seed);
      for (let i = 0; i < frames; i++) x[i] = x[i]! * (i >= 24000 ? 1e-4 : i % 6000 < 2500 ? 0.8 : 0.03);
      x[777] = NaN;
      x[5000] = NaN;
      x[5001] = Infinity;
      x[5002] = NaN;
      // One channel alone (the other lane's band runs on).
      if (seed % 2 === 0) x[7001] = NaN;
      x[10001] = Infinity;
      x[15002] = -Infinity;
      x[20003] = 3e38;
      return x;
    };
    for (const mode of ['split', 'wide'] as const) {
      for (const channels of [1, 2] as const) {
        const input = Array.from({ length: channels }, (_, c) => signal(21 + c));
        const js = new DeesserProcessor(48000);
        js.setParams({ mode, freq: 6500, threshold: -30, range: 9, listen: false });
        const stage = { kind: 'deess' as const, constants: js.steadyState(), lag: 0 };
        // From song frame -37 (a latency before it): the sub-blocks are placed by the song frame.
        const { reduction, readings } = stageAgainstKernel(js, stage, input, `${mode} ${channels} ch`, undefined, -37);
        expect(reduction, 'the de-esser really reduced the bursts (dB)').toBeGreaterThan(6);
        // The band restarts after a bad sample: the burst after them (12000-14500) is reduced too.
        const late = Math.max(...readings.filter((r) => r.end > 12000 && r.end <= 14500).map((r) => r.peak));
        expect(late, 'reduction of the burst after the bad samples (dB)').toBeGreaterThan(6);
        expect(js.steadyState().gainReduction, 'the reduction decayed past its floor to 0 in the quiet').toBe(0);
      }
    }
  });

  it('the gate stage equals the JavaScript gate, hard and expanding, mono and stereo, through NaN and infinite samples', () => {
    // Bursts and gaps that open and close it (with holds and releases), NaN and infinities
    // in the key (which restart its filter), a left channel quiet while the right opens it,
    // then 2 s of near-silence in which it settles on its range.
    const frames = 48000 * 3;
    const signal = (seed: number, quiet: boolean): Float32Array => {
      const x = noise(frames, 1, seed);
      for (let i = 0; i < frames; i++) x[i] = x[i]! * (quiet ? 1e-5 : i >= 48000 ? 1e-5 : i % 7000 < 3000 ? 0.7 : 0.004);
      x[777] = NaN;
      x[10001] = Infinity;
      x[15002] = -Infinity;
      x[20003] = 3e38;
      return x;
    };
    for (const ratio of [100, 3]) {
      for (const channels of [1, 2] as const) {
        const input = Array.from({ length: channels }, (_, c) => signal(31 + c, channels === 2 && c === 0));
        const js = new GateProcessor(48000);
        js.setParams({ threshold: -30, range: -60, ratio, attack: 0.0005, hold: 0.01, release: 0.05, hysteresis: 4, scHpf: 120 });
        const stage = { kind: 'gate' as const, constants: js.steadyState(), lag: 0 };
        // From song frame 5: the sub-blocks are placed by the song frame.
        const { js: a, reduction } = stageAgainstKernel(js, stage, input, `ratio ${ratio}, ${channels} ch`, undefined, 5);
        let open = 0;
        a.forEach((ch, c) => ch.forEach((y, i) => (open += +(y === input[c]![i] && y !== 0))));
        expect(reduction, 'the gate really closed (dB)').toBeGreaterThan(40);
        expect(open, 'and opened: samples passed unchanged').toBeGreaterThan(frames / 10);
        expect(js.steadyState().gainDb, 'it settled on its range in the near-silence').toBe(-60);
      }
    }
  });

  it('an HPF (with or without a trim), a gate (keyed by its input or another signal) and four EQ bands run as one loop and equal the nodes one by one', () => {
    // The strip's usual start (trim, HPF, gate): runChain fuses the EQ section of one biquad
    // with the gate group after it (runEqGate). Bursts open and close the gate; at the end, a
    // huge and an infinite sample (the HPF, like any biquad, is then NaN for good).
    const frames = 48000 * 2;
    const signal = (seed: number): Float32Array => {
      const x = noise(frames, 1, seed);
      for (let i = 0; i < frames; i++) x[i] = x[i]! * (i >= 60000 ? 1e-5 : i % 7000 < 3000 ? 0.7 : 0.004);
      x[frames - 4001] = 3e38;
      x[frames - 2001] = Infinity;
      return x;
    };
    // With four EQ bands after the gate, the three groups are one pipelined loop (runEqGateEq4)
    // in blocks of 8 frames or more; the 1-frame blocks run them in turn (the states carry over).
    const bandTypes = [['lowshelf', 120, 4, 0.7], ['peaking', 600, -5, 1.4], ['notch', 2500, 0, 3], ['highshelf', 8000, 3, 0.7]] as const;
    let checked = 0;
    for (const [bandCount, keyed] of [[0, false], [4, false], [4, true]] as const) {
      for (const trim of [null, Math.fround(0.7)]) {
        for (const channels of [1, 2] as const) {
          // Keyed: another track's signal (bursts) keys the gate, the input is steady noise.
          const input = Array.from({ length: channels }, (_, c) => (keyed ? noise(frames, 0.3, 71 + c) : signal(61 + c)));
          const key = keyed ? Array.from({ length: channels }, (_, c) => signal(81 + c)) : undefined;
          const keyBlock = Array.from({ length: channels }, () => new Float32Array(4096));
          const hpf = new BiquadProcessor(48000);
          hpf.setParams({ type: 'highpass', frequency: 60, Q: 0 });
          const gate = new GateProcessor(48000);
          gate.setParams({ threshold: -30, range: -60, ratio: 100, attack: 0.0005, hold: 0.01, release: 0.05, hysteresis: 4, scHpf: 150 });
          const bands = bandTypes.slice(0, bandCount).map(([type, frequency, gain, Q]) => {
            const b = new BiquadProcessor(48000);
            b.setParams({ type, frequency, gain, Q });
            return b;
          });
          const stages: ChainStage[] = [
            ...(trim === null ? [] : [{ kind: 'gain' as const, gain: trim }]),
            { kind: 'biquad', coefficients: { ...hpf.coefficients } },
            { kind: 'gate', constants: gate.steadyState(), lag: 0, ...(keyed ? { key: 'k' } : {}) },
            ...bands.map((b) => ({ kind: 'biquad' as const, coefficients: { ...b.coefficients } })),
          ];
          // A key that lives outside the module's memory is copied in each block.
          const chain = createChainKernel(new StripChainMemory(), stages, channels, channels, 4096, [], new Map([['k', keyBlock]]));
          const kernel: NodeKernel = {
            ...chain,
            process(i, o, n, sc, at) {
              if (sc) keyBlock.forEach((b, c) => b.set(sc[c]!.subarray(0, n)));
              chain.process(i, o, n, undefined, at);
            },
          };
          const js = {
            process(i: readonly Float32Array[], o: readonly Float32Array[], n: number, sc?: readonly Float32Array[], at?: number) {
              o.forEach((ch, c) => ch.set(i[c]!.subarray(0, n)));
              if (trim !== null) for (const ch of o) for (let k = 0; k < n; k++) ch[k] = ch[k]! * trim;
              hpf.process(o, o, n);
              gate.process(o, o, n, sc, at);
              for (const b of bands) b.process(o, o, n);
            },
            takeGainReductionPeak: () => gate.takeGainReductionPeak(),
          };
          const { reduction } = stageAgainstKernel(js, kernel, input, `${bandCount} bands, keyed ${keyed}, trim ${trim}, ${channels} ch`, key, 3);
          expect(reduction, 'the gate really closed (dB)').toBeGreaterThan(40);
          checked++;
        }
      }
    }
    expect(checked).toBe(12);
  });

  it('a gate keyed by another track equals the JavaScript gate given that key, mono and stereo input and key', () => {
    // The key carries the bursts, NaN and infinities; the input is steady noise the key opens
    // and closes. Its buffers are plain arrays here, so the kernel also copies in and out.
    const frames = 48000 * 3;
    const key = (seed: number): Float32Array => {
      const x = noise(frames, 1, seed);
      for (let i = 0; i < frames; i++) x[i] = x[i]! * (i >= 48000 ? 1e-5 : i % 7000 < 3000 ? 0.7 : 0.004);
      x[777] = NaN;
      x[10001] = Infinity;
      x[20003] = 3e38;
      return x;
    };
    const params = { threshold: -30, range: -50, ratio: 100, attack: 0.0005, hold: 0.01, release: 0.05, hysteresis: 4, scHpf: 200 };
    for (const channels of [1, 2] as const) {
      for (const keyChannels of [1, 2]) {
        const input = Array.from({ length: channels }, (_, c) => noise(frames, 0.3, 41 + c));
        const sidechain = Array.from({ length: keyChannels }, (_, c) => key(51 + c));
        const js = new GateProcessor(48000);
        js.setParams(params);
        const kernel = createKeyedGateKernel(new StripChainMemory(), params, 48000, channels, 4096);
        const { js: a, reduction } = stageAgainstKernel(js, kernel, input, `${channels} ch keyed by ${keyChannels} ch`, sidechain, 11);
        expect(reduction, 'the key closed it (dB)').toBeGreaterThan(40);
        expect(a[0]!.some((y, i) => y === input[0]![i] && y !== 0), 'and opened it').toBe(true);
      }
    }
  });

  it('an EQ section of 1 to 6 biquads, with or without a trim before it, equals the biquads one by one', () => {
    const types = [
      ['highpass', 45, 0, Math.SQRT1_2],
      ['lowshelf', 120, 4, 0.7],
      ['peaking', 600, -5, 1.4],
      ['notch', 2500, 0, 3],
      ['highshelf', 8000, 3, 0.7],
      ['lowpass', 15000, 0, 0.9],
    ] as const;
    const blocks = [4096, 1, 128, 333, 4096];
    const frames = blocks.reduce((a, b) => a + b, 0);
    let checked = 0;
    for (let count = 1; count <= 6; count++) {
      for (const trim of [null, Math.fround(0.7)]) {
        for (const channels of [1, 2] as const) {
          const input = Array.from({ length: channels }, (_, c) => noise(frames, 0.8, 100 + 10 * count + c));
          const biquads = types.slice(0, count).map(([type, frequency, gain, Q]) => {
            const b = new BiquadProcessor(48000);
            b.setParams({ type, frequency, gain, Q });
            return b;
          });
          const stages: ChainStage[] = [
            ...(trim === null ? [] : [{ kind: 'gain' as const, gain: trim }]),
            ...biquads.map((b) => ({ kind: 'biquad' as const, coefficients: { ...b.coefficients } })),
          ];
          const kernel = createChainKernel(new StripChainMemory(), stages, channels, channels, 4096);
          const a = input.map(() => new Float32Array(frames));
          const b = input.map(() => new Float32Array(frames));
          let at = 0;
          for (const n of blocks) {
            const block = (chans: Float32Array[]) => chans.map((c) => c.subarray(at, at + n));
            const ref = block(a);
            ref.forEach((ch, c) => ch.set(input[c]!.subarray(at, at + n)));
            if (trim !== null) for (const ch of ref) for (let i = 0; i < n; i++) ch[i] = ch[i]! * trim;
            for (const bq of biquads) bq.process(ref, ref, n);
            kernel.process(block(input), block(b), n);
            at += n;
          }
          for (let c = 0; c < channels; c++) expect(bits(b[c]!), `${count} biquads, trim ${trim}, ${channels} ch`).toEqual(bits(a[c]!));
          checked++;
        }
      }
    }
    expect(checked).toBe(24);
  });
});
