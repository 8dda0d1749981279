import { describe, expect, it } from 'vitest';
import type { AutomationLanes } from '../../model/AutomationLane.ts';
import type { MixState } from '../../model/MixState.ts';
import { buildMixPlan } from '../buildMixPlan.ts';
import type { GainPlanNode, PlanNode } from '../MixPlan.ts';
import { testMix } from '../testing/testMix.ts';
import { ScheduleCursor } from './ScheduleCursor.ts';

const line = (from: [number, number], to: [number, number]) => ({
  points: [
    { id: 'a', time: from[0], value: from[1], curve: 'linear' as const },
    { id: 'b', time: to[0], value: to[1], curve: 'linear' as const },
  ],
});
const muteLane = { points: [{ id: 'm0', time: 0, value: 0, curve: 'step' as const }, { id: 'm1', time: 1, value: 1, curve: 'step' as const }] };

/** A state whose strips carry `automation` as the model will store it. */
function withLanes(lanes: AutomationLanes, over: { solo?: boolean } = {}): MixState {
  const base = testMix.track('t', { stem: testMix.stem('t', 2, 48000), sends: [{ bus: 'fx', level: -6, pre: false, on: true }] });
  const bands = base.eq.bands.map((b, i) => (i === 1 ? { ...b, on: true } : b)) as typeof base.eq.bands;
  const t = { ...base, eq: { ...base.eq, bands }, automation: lanes };
  const other = testMix.track('o', { solo: over.solo ?? false });
  return testMix.state([t, other], [testMix.bus('fx', 'aux')]);
}

const node = (nodes: PlanNode[], id: string) => nodes.find((n) => n.id === id)!;

describe('buildMixPlan with automation lanes', () => {
  const lanes: AutomationLanes = {
    gain: line([0, -6], [2, 6]),
    pan: line([0, -1], [1, 1]),
    'eq.bands.1.gain': line([0, 0], [1, 9]),
    'sends.fx.level': line([0, -20], [1, 0]),
    mute: muteLane,
    'not.a.param': line([0, 0], [1, 1]),
  };

  it('moves only parameters: the same nodes and edges as without lanes', () => {
    const plain = buildMixPlan(withLanes({}));
    const moving = buildMixPlan(withLanes(lanes));
    expect(moving.nodes.map((n) => n.id)).toEqual(plain.nodes.map((n) => n.id));
    expect(moving.edges).toEqual(plain.edges);
    expect(node(moving.nodes, 'track:t:eq1')).toMatchObject({ bypass: false });
    expect(Object.keys(node(moving.nodes, 'track:t:pan')).includes('automation')).toBe(true);
  });

  it('fader, send and mute schedules give the lane values at their frames', () => {
    const plan = buildMixPlan(withLanes(lanes));
    const at = (id: string, seconds: number) => new ScheduleCursor((node(plan.nodes, id) as GainPlanNode).automation!.gain!, 48000).valueAt(seconds * 48000);
    expect(20 * Math.log10(at('track:t:fader', 1))).toBeCloseTo(0, 3);
    expect(20 * Math.log10(at('track:t:send:fx', 0.5))).toBeCloseTo(-10, 3);
    expect(at('track:t:mute', 0.999)).toBe(1);
    expect(at('track:t:mute', 1)).toBe(0);
    // The mute lane closes the sends with the strip.
    expect(at('track:t:send:fx', 1.5)).toBe(0);
  });

  it('a strip another solo silences stays silent whatever its mute lane says', () => {
    const plan = buildMixPlan(withLanes({ mute: muteLane }, { solo: true }));
    const mute = node(plan.nodes, 'track:t:mute') as GainPlanNode;
    expect(mute.gain).toBe(0);
    expect(mute.automation).toBeUndefined();
  });
});
