import { describe, expect, it } from 'vitest';
import { rmsOf, sine } from '../../dsp/testSignals.testkit.ts';
import type { AutomationLane } from '../../model/AutomationLane.ts';
import { defaultMaster } from '../../model/MasterRecord.ts';
import type { MixState } from '../../model/MixState.ts';
import { buildMixPlan } from '../buildMixPlan.ts';
import type { ProcessorKind, ProcessorPlanNode } from '../MixPlan.ts';
import { testMix } from '../testing/testMix.ts';
import { AUTOMATION_CONTROL_FRAMES, createAutomatedProcessor } from './createAutomatedProcessor.ts';

const RATE = 48000;
const BLOCK = 128;
/** The song: a -6 dBFS 1 kHz sine, the same on both channels, 2 s long. */
const SONG = sine(2 * RATE, 1000, 0.5, RATE);
/** The lane steps at 1 s; the test plays on either side of it. */
const STEP = 1;

/** A lane holding `from` until STEP, then `to`. */
const stepLane = (from: number, to: number): AutomationLane => ({
  points: [
    { id: 'a', time: 0, value: from, curve: 'step' },
    { id: 'b', time: STEP, value: to, curve: 'step' },
  ],
});

/**
 * Each automated kernel param, with a value that leaves the sine untouched (`open`) and one
 * that changes its level by several dB (`shut`): a state with no gain reduction before the
 * jump is the state a render starting at the jump point begins in, so the two must agree.
 */
const CASES: { label: string; kind: ProcessorKind; open: number; shut: number; state: (lane: AutomationLane) => MixState }[] = [
  {
    label: 'compressor threshold',
    kind: 'compressor',
    open: 0,
    shut: -30,
    state: (lane) =>
      testMix.state([
        testMix.track('t', {
          stem: testMix.stem('t', 2, SONG.length),
          comp: { ...testMix.track('x').comp, on: true, ratio: 8, knee: 6, attack: 0.001, release: 0.01 },
          automation: { 'comp.threshold': lane },
        }),
      ]),
  },
  {
    label: 'saturation drive',
    kind: 'saturation',
    open: 0,
    shut: 18,
    state: (lane) => testMix.state([testMix.track('t', { stem: testMix.stem('t', 2, SONG.length), sat: { ...testMix.track('x').sat, on: true, mix: 1 }, automation: { 'sat.drive': lane } })]),
  },
  {
    label: 'master limiter ceiling',
    kind: 'limiter',
    open: 0,
    shut: -12,
    state: (lane) => {
      const s = testMix.state([testMix.track('t', { stem: testMix.stem('t', 2, SONG.length) })]);
      return { ...s, master: { ...s.master, limiter: { ...defaultMaster().limiter, on: true, release: 0.05 }, automation: { 'limiter.ceiling': lane } } };
    },
  },
];

function nodeOf(state: MixState, kind: ProcessorKind): ProcessorPlanNode {
  const node = buildMixPlan(state).nodes.find((n): n is ProcessorPlanNode => n.kind === kind && 'automation' in n && n.automation !== undefined);
  if (!node) throw new Error(`no automated ${kind} in the plan`);
  return node;
}

/**
 * Plays the song through a fresh automated processor along `stretches` ([song frame, frames]
 * each, one after another as a transport would: a jump between two), in `block`-frame calls
 * told each call's song frame. Returns the output channels, back to back.
 */
function play(node: ProcessorPlanNode, stretches: [number, number][], block = BLOCK): Float32Array[] {
  const proc = createAutomatedProcessor(node, RATE);
  const total = stretches.reduce((s, [, n]) => s + n, 0);
  const out = [new Float32Array(total), new Float32Array(total)];
  let o = 0;
  for (const [from, frames] of stretches) {
    for (let k = 0; k < frames; k += block) {
      const n = Math.min(block, frames - k);
      const input = SONG.subarray(from + k, from + k + n);
      proc.process([input, input], [out[0]!.subarray(o, o + n), out[1]!.subarray(o, o + n)], n, undefined, from + k);
      o += n;
    }
  }
  return out;
}

const db = (x: number) => 20 * Math.log10(x);

/** The node without lanes, its automated params static at `value`: what a render started at a point of the lane plays. */
function held(node: ProcessorPlanNode, value: number): ProcessorPlanNode {
  const keys = Object.keys(node.automation ?? {});
  return { ...node, automation: undefined, params: { ...node.params, ...Object.fromEntries(keys.map((k) => [k, value])) } } as ProcessorPlanNode;
}

describe('createAutomatedProcessor: a jump in song time lands on the automated value at once', () => {
  const seconds = (s: number) => Math.round(s * RATE);
  for (const c of CASES) {
    const latency = createAutomatedProcessor(nodeOf(c.state(stepLane(c.open, c.shut)), c.kind), RATE).latencyFrames;
    /** The first block of the song after the jump at the kernel's output (its latency later). */
    const firstBlock = (x: Float32Array, jump: number) => db(rmsOf(x, jump + latency, jump + latency + BLOCK));

    it(`${c.label}: a seek forward past the lane's step`, () => {
      const node = nodeOf(c.state(stepLane(c.open, c.shut)), c.kind);
      // Played to 0.5 s (open), then a seek to 1.5 s (shut); against a render started at 1.5 s.
      const jump = seconds(0.5);
      const sought = play(node, [
        [0, jump],
        [seconds(1.5), seconds(0.1)],
      ]);
      const fresh = play(held(node, c.shut), [[seconds(1.5), seconds(0.1)]]);
      const got = firstBlock(sought[0]!, jump);
      const want = firstBlock(fresh[0]!, 0);
      const before = db(rmsOf(sought[0]!, jump - BLOCK, jump));
      console.log(`${c.label} seek: first block after the jump ${got.toFixed(2)} dBFS, a render started there ${want.toFixed(2)} dBFS (before the jump ${before.toFixed(2)} dBFS)`);
      // The lane really changes the level, and the jump lands on it within 0.1 dB.
      expect(Math.abs(want - before)).toBeGreaterThan(3);
      expect(Math.abs(got - want)).toBeLessThan(0.1);
    });

    it(`${c.label}: a loop wrap back before the lane's step`, () => {
      // The lane is shut before the step and open after: the loop 0.5 -> 1.5 s plays into the
      // open part and wraps back into the shut one; against a render started at 0.5 s.
      const node = nodeOf(c.state(stepLane(c.shut, c.open)), c.kind);
      const pass = seconds(1);
      const looped = play(node, [
        [seconds(0.5), pass],
        [seconds(0.5), seconds(0.1)],
      ]);
      const fresh = play(held(node, c.shut), [[seconds(0.5), seconds(0.1)]]);
      const got = firstBlock(looped[0]!, pass);
      const want = firstBlock(fresh[0]!, 0);
      const before = db(rmsOf(looped[0]!, pass - BLOCK, pass));
      console.log(`${c.label} loop wrap: first block after the wrap ${got.toFixed(2)} dBFS, a render started there ${want.toFixed(2)} dBFS (before the wrap ${before.toFixed(2)} dBFS)`);
      expect(Math.abs(want - before)).toBeGreaterThan(3);
      expect(Math.abs(got - want)).toBeLessThan(0.1);
    });

    it(`${c.label}: continuous playback is the same in any block size (no snap between blocks)`, () => {
      // Across the lane's step the kernel keeps its usual smoothing, whatever the cuts.
      const node = nodeOf(c.state(stepLane(c.open, c.shut)), c.kind);
      const span: [number, number][] = [[seconds(0.9), seconds(0.2)]];
      const quanta = play(node, span);
      for (const block of [4096, 100, AUTOMATION_CONTROL_FRAMES * 3 + 1]) {
        const other = play(node, span, block);
        expect(other[0]).toEqual(quanta[0]);
        expect(other[1]).toEqual(quanta[1]);
      }
      // ...and it ramps: the first block after the step is not yet at the shut level.
      const step = seconds(STEP) - seconds(0.9);
      const ramped = firstBlock(quanta[0]!, step);
      const shut = firstBlock(play(held(node, c.shut), [[seconds(1.5), seconds(0.1)]])[0]!, 0);
      expect(Math.abs(ramped - shut)).toBeGreaterThan(0.5);
    });
  }
});
