import { describe, expect, it } from 'vitest';
import { repairMixState } from '../model/repairMixState.ts';
import { buildMixPlan } from './buildMixPlan.ts';
import type { MixPlan, PlanNode } from './MixPlan.ts';
import { PlanError } from './PlanError.ts';
import { testMix } from './testing/testMix.ts';
import { validateMixPlan } from './validateMixPlan.ts';
import type { TrackState } from '../model/MixState.ts';
import { DEFAULT_EQ_BANDS, defaultEq, defaultMaster, defaultSaturation, defaultSend } from '../model/index.ts';

const node = (plan: MixPlan, id: string): PlanNode => {
  const n = plan.nodes.find((x) => x.id === id);
  if (!n) throw new Error(`no node ${id}`);
  return n;
};
const inputsOf = (plan: MixPlan, id: string, input = 0) => plan.edges.filter((e) => e.to === id && e.input === input).map((e) => e.from);

describe('buildMixPlan', () => {
  const kick = testMix.track('kick', { order: 0 });
  const bass = testMix.track('bass', {
    order: 1,
    comp: { ...testMix.track('x').comp, on: true, sidechain: 'kick' },
    sends: [{ ...defaultSend('verb'), level: -6, pre: true, on: true }],
    output: 'drums',
  });
  const state = testMix.state([kick, bass], [testMix.bus('drums', 'group', { order: 0 }), testMix.bus('verb', 'aux', { order: 1 })]);

  it('is deterministic: equal states give deep-equal plans', () => {
    const a = buildMixPlan(state);
    const b = buildMixPlan(structuredClone(state));
    expect(b).toEqual(a);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
  });

  it('orders nodes topologically (every edge goes forward)', () => {
    // The key track is listed after the compressed one, so a naive per-track order would break.
    const plan = buildMixPlan(testMix.state([bass, { ...kick, order: 2 }], state.buses));
    const pos = new Map(plan.nodes.map((n, i) => [n.id, i]));
    for (const e of plan.edges) expect(pos.get(e.from)!).toBeLessThan(pos.get(e.to)!);
  });

  it('wires the track strip in console order', () => {
    const plan = buildMixPlan(state);
    const roles = plan.nodes.filter((n) => n.owner.id === 'kick').map((n) => n.role);
    expect(roles.slice(0, 16)).toEqual(['source', 'trim', 'hpf', 'lpf', 'gate', 'eq0', 'eq1', 'eq2', 'eq3', 'comp', 'deess', 'sat', 'fader', 'pan', 'mute']);
    expect(inputsOf(plan, 'master::fader')).toContain('track:kick:mute');
  });

  it('feeds the sidechain from the key track post-EQ, pre-compressor', () => {
    const plan = buildMixPlan(state);
    expect(inputsOf(plan, 'track:bass:comp', 1)).toEqual(['track:kick:eq3']);
    expect(node(plan, 'track:bass:comp')).toMatchObject({ kind: 'compressor', sidechain: true, bypass: false });
    expect(node(plan, 'track:kick:comp')).toMatchObject({ sidechain: false, bypass: true });
  });

  it('drops a sidechain naming a missing track or the track itself', () => {
    const self = testMix.track('a', { comp: { ...kick.comp, sidechain: 'a' } });
    const gone = testMix.track('b', { comp: { ...kick.comp, sidechain: 'nope' } });
    const plan = buildMixPlan(testMix.state([self, gone]));
    expect(plan.edges.filter((e) => e.input === 1)).toEqual([]);
  });

  it('routes tracks into group buses and group buses into the master', () => {
    const plan = buildMixPlan(state);
    expect(inputsOf(plan, 'bus:drums:in')).toEqual(['track:bass:mute']);
    expect(inputsOf(plan, 'master::fader')).toEqual(['track:kick:mute', 'bus:drums:mute', 'bus:verb:mute']);
    expect(plan.nodes.at(-1)).toMatchObject({ id: 'master::out', kind: 'output' });
  });

  it('taps pre-fader sends after the inserts and post-fader sends after the fader', () => {
    const pre = buildMixPlan(state);
    expect(inputsOf(pre, 'track:bass:send:verb')).toEqual(['track:bass:sat']);
    expect(inputsOf(pre, 'bus:verb:in')).toEqual(['track:bass:send:verb']);
    expect(node(pre, 'track:bass:send:verb')).toMatchObject({ kind: 'gain', gain: expect.closeTo(0.501187, 5) });
    const post = buildMixPlan(testMix.state([{ ...bass, sends: [{ ...defaultSend('verb'), level: 0, pre: false, on: true }] }], state.buses));
    expect(inputsOf(post, 'track:bass:send:verb')).toEqual(['track:bass:fader']);
  });

  it('ignores routing to unknown or aux targets, and repairs bus cycles to the master', () => {
    const t = testMix.track('t', { output: 'verb', sends: [{ ...defaultSend('drums'), level: 0, pre: true, on: true }] });
    const g = testMix.bus('g', 'group', { sends: [{ ...defaultSend('fx'), level: 0, pre: false, on: true }] });
    const fx = testMix.bus('fx', 'aux', { output: 'g', order: 1 });
    const plan = buildMixPlan(testMix.state([t], [testMix.bus('verb', 'aux'), testMix.bus('drums', 'group'), g, fx]));
    expect(inputsOf(plan, 'master::fader')).toContain('track:t:mute');
    expect(plan.nodes.some((n) => n.id === 'track:t:send:drums')).toBe(false);
    // g -> fx (send) and fx -> g (output) would loop: outputs are taken first, so the send is dropped.
    expect(inputsOf(plan, 'bus:g:in')).toEqual(['bus:fx:mute']);
    expect(plan.nodes.some((n) => n.id === 'bus:g:send:fx')).toBe(false);
  });

  it('routes an invalid state exactly as the model repairs it (a group cycle is cut at the greatest bus id, whatever the order)', () => {
    // z plays first (order 0) but has the greater id: the model's repair cuts z -> a, so z
    // goes to the master and a keeps feeding z; an order-first rule would have cut a -> z.
    const a = testMix.bus('a', 'group', { output: 'z', order: 1 });
    const z = testMix.bus('z', 'group', { output: 'a', order: 0 });
    const state = testMix.state([testMix.track('t', { output: 'a' })], [a, z]);
    const plan = buildMixPlan(state);
    expect(inputsOf(plan, 'bus:z:in')).toEqual(['bus:a:mute']);
    expect(inputsOf(plan, 'master::fader')).toContain('bus:z:mute');
    expect(inputsOf(plan, 'master::fader')).not.toContain('bus:a:mute');
    expect(plan).toEqual(buildMixPlan(repairMixState(state).state));
  });

  it('keeps mono tracks mono up to the panner and converts units for the nodes', () => {
    const t = testMix.track('m', {
      trim: -6,
      polarity: true,
      eq: { ...kick.eq, hpf: { ...defaultEq().hpf, on: true, freq: 80, q: Math.SQRT1_2 } },
    });
    const plan = buildMixPlan(testMix.state([t, testMix.track('s', { stem: testMix.stem('s', 2, 1000) })]));
    expect(node(plan, 'track:m:eq0').channels).toBe(1);
    expect(node(plan, 'track:m:pan').channels).toBe(2);
    expect(node(plan, 'track:s:eq0').channels).toBe(2);
    expect(node(plan, 'track:m:trim')).toMatchObject({ gain: expect.closeTo(-0.501187, 5) });
    // Web Audio's highpass Q is in dB: a Butterworth Q of 1/sqrt(2) is -3.01 dB.
    expect(node(plan, 'track:m:hpf')).toMatchObject({ type: 'highpass', frequency: 80, q: expect.closeTo(-3.0103, 3), bypass: false });
    expect(node(plan, 'track:m:lpf')).toMatchObject({ bypass: true });
    expect(plan.frames).toBe(48000);
  });

  it('carries each strip\'s pan law to its panner; a snapshot strip without one gets the Web Audio law', () => {
    const state = testMix.state(
      [testMix.track('a', { panLaw: 'balance' }), testMix.track('b', { panLaw: 'webaudio' }), testMix.track('c')],
      [testMix.bus('g', 'group', { panLaw: 'webaudio' })],
    );
    delete (state.tracks[2] as Partial<TrackState>).panLaw; // a version saved before schema v3
    const plan = buildMixPlan(state);
    expect(['track:a:pan', 'track:b:pan', 'track:c:pan', 'bus:g:pan'].map((id) => (node(plan, id) as { law: string }).law)).toEqual(['balance', 'webaudio', 'webaudio', 'webaudio']);
    expect(() => validateMixPlan({ ...plan, nodes: plan.nodes.map((n) => (n.id === 'track:a:pan' ? { ...n, law: 'linear' } : n)) } as MixPlan)).toThrow(PlanError);
  });

  it('bypasses flat EQ bands and off processors, but keeps them in the graph', () => {
    const on = testMix.track('a', {
      eq: { ...kick.eq, bands: [{ ...DEFAULT_EQ_BANDS[0], on: true, type: 'peaking', freq: 100, gain: 0, q: 1 }, { ...DEFAULT_EQ_BANDS[0], on: true, type: 'notch', freq: 500, gain: 0, q: 1 }, kick.eq.bands[2], kick.eq.bands[3]] },
      sat: { ...defaultSaturation(), on: true, drive: 6, mix: 0 },
    });
    const plan = buildMixPlan(testMix.state([on]));
    expect(node(plan, 'track:a:eq0')).toMatchObject({ bypass: true });
    expect(node(plan, 'track:a:eq1')).toMatchObject({ bypass: false });
    expect(node(plan, 'track:a:sat')).toMatchObject({ bypass: true });
    const off = buildMixPlan(testMix.state([testMix.track('a')]));
    expect(off.nodes.map((n) => n.id)).toEqual(plan.nodes.map((n) => n.id));
    expect(off.edges).toEqual(plan.edges);
  });

  it('refuses a state with a non-finite parameter with a typed PlanError', () => {
    const bad = testMix.state([testMix.track('a', { gain: Number.NaN })]);
    expect(() => buildMixPlan(bad)).toThrow(PlanError);
    try {
      buildMixPlan(bad);
    } catch (e) {
      expect(e).toMatchObject({ code: 'PLAN_INVALID', nodeId: 'track:a:fader', field: 'gain' });
    }
    const comp = testMix.state([testMix.track('a', { comp: { ...testMix.track('x').comp, threshold: Infinity } })]);
    expect(() => buildMixPlan(comp)).toThrow(/track:a:comp: params.threshold is Infinity/);
  });

  it('gives the master glue and limiter, in that order, after the master fader', () => {
    const s = testMix.state([kick]);
    s.master = { ...defaultMaster(), gain: -3, glue: { ...s.master.glue, on: true }, limiter: { ...defaultMaster().limiter, on: true, ceiling: -1, release: 0.05 }, automation: {} };
    const plan = buildMixPlan(s);
    expect(inputsOf(plan, 'master::glue')).toEqual(['master::fader']);
    expect(inputsOf(plan, 'master::limiter')).toEqual(['master::glue']);
    expect(inputsOf(plan, 'master::out')).toEqual(['master::limiter']);
    expect(node(plan, 'master::limiter')).toMatchObject({ kind: 'limiter', params: { ceiling: -1, release: 0.05 }, bypass: false });
    expect(node(plan, 'master::fader')).toMatchObject({ gain: expect.closeTo(0.707946, 5) });
  });
});
