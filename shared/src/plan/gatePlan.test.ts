import { describe, expect, it } from 'vitest';
import type { TrackState } from '../model/MixState.ts';
import { audibleSources } from './audibleSources.ts';
import { buildMixPlan } from './buildMixPlan.ts';
import type { MixPlan, PlanNode } from './MixPlan.ts';
import { planLatencyFrames } from './planLatencyFrames.ts';
import { testMix } from './testing/testMix.ts';

const strip = (plan: MixPlan, id: string) => plan.nodes.filter((n) => n.owner.kind === 'track' && n.owner.id === id).map((n) => n.role);
const node = (plan: MixPlan, id: string): PlanNode => plan.nodes.find((n) => n.id === id)!;
const keyOf = (plan: MixPlan, id: string) => plan.edges.filter((e) => e.to === id && e.input === 1).map((e) => e.from);
const gated = (id: string, over: Partial<TrackState['gate']> = {}, track: Partial<TrackState> = {}) =>
  testMix.track(id, { ...track, gate: { ...testMix.track(id).gate, on: true, ...over } });

describe('the gate in the plan', () => {
  it('sits after the filters and before the EQ on every track strip, bypassed when off', () => {
    const plan = buildMixPlan(testMix.state([testMix.track('a', { order: 0 }), gated('b', { threshold: -33 }, { order: 1 })]));
    for (const id of ['a', 'b']) {
      const roles = strip(plan, id);
      expect(roles.slice(0, 6)).toEqual(['source', 'trim', 'hpf', 'lpf', 'gate', 'eq0']);
    }
    const a = node(plan, 'track:a:gate');
    const b = node(plan, 'track:b:gate');
    expect(a).toMatchObject({ kind: 'gate', bypass: true, sidechain: false });
    expect(b).toMatchObject({ kind: 'gate', bypass: false, sidechain: false, params: { threshold: -33, ratio: 100, range: -80 } });
    expect(Object.keys((b as { params: object }).params).sort()).toEqual(['attack', 'hold', 'hysteresis', 'range', 'ratio', 'release', 'scHpf', 'threshold']);
  });

  it('a key taps the key track before its own gate; two gates keying each other make a valid plan', () => {
    const top = gated('top', {}, { order: 0 });
    const bottom = gated('bottom', { sidechain: 'top' }, { order: 1 });
    let plan = buildMixPlan(testMix.state([top, bottom]));
    expect(keyOf(plan, 'track:bottom:gate')).toEqual(['track:top:lpf']);
    expect(node(plan, 'track:bottom:gate')).toMatchObject({ sidechain: true });
    plan = buildMixPlan(testMix.state([{ ...top, gate: { ...top.gate, sidechain: 'bottom' } }, bottom]));
    expect(keyOf(plan, 'track:top:gate')).toEqual(['track:bottom:lpf']);
    expect(keyOf(plan, 'track:bottom:gate')).toEqual(['track:top:lpf']);
    const pos = new Map(plan.nodes.map((n, i) => [n.id, i]));
    for (const e of plan.edges) expect(pos.get(e.from)!).toBeLessThan(pos.get(e.to)!);
  });

  it('self, dangling and missing keys are dropped (the repair the room applies)', () => {
    const plan = buildMixPlan(testMix.state([gated('a', { sidechain: 'a' }), gated('b', { sidechain: 'gone' }, { order: 1 })]));
    expect(keyOf(plan, 'track:a:gate')).toEqual([]);
    expect(keyOf(plan, 'track:b:gate')).toEqual([]);
  });

  it('a muted key track is still needed by an active keyed gate, not by a bypassed one', () => {
    const key = testMix.track('key', { order: 0, mute: true });
    const on = buildMixPlan(testMix.state([key, gated('snare', { sidechain: 'key' }, { order: 1 })]));
    expect(audibleSources(on).has('track:key:source')).toBe(true);
    const off = buildMixPlan(testMix.state([key, gated('snare', { sidechain: 'key', on: false }, { order: 1 })]));
    expect(audibleSources(off).has('track:key:source')).toBe(false);
  });

  it('switching gates on does not move the plan in time (latency 0 either way)', () => {
    const off = buildMixPlan(testMix.state([testMix.track('a')]));
    const on = buildMixPlan(testMix.state([gated('a')]));
    expect(planLatencyFrames(on)).toBe(planLatencyFrames(off));
  });
});
