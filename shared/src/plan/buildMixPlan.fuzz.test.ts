import { describe, expect, it } from 'vitest';
import type { BusState, MixState, TrackState } from '../model/MixState.ts';
import { buildMixPlan } from './buildMixPlan.ts';
import { testMix } from './testing/testMix.ts';
import { validateMixPlan } from './validateMixPlan.ts';

/** xorshift32: seeded, so a failure reproduces from its seed. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/** A random, often nonsensical state: cycles, dangling targets, self-sidechains, solos. */
function randomState(seed: number): MixState {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const busIds = Array.from({ length: Math.floor(r() * 5) }, (_, i) => `b${i}`);
  const trackIds = Array.from({ length: 1 + Math.floor(r() * 6) }, (_, i) => `t${i}`);
  const targets = ['master', 'nowhere', ...busIds];
  const sends = () => Array.from({ length: Math.floor(r() * 3) }, () => ({ bus: pick([...busIds, 'gone']), level: -r() * 20, pre: r() < 0.5, on: r() < 0.8 }));
  const tracks: TrackState[] = trackIds.map((id) =>
    testMix.track(id, {
      order: Math.floor(r() * 3),
      stem: r() < 0.2 ? null : testMix.stem(id, r() < 0.5 ? 1 : 2, 1000 + Math.floor(r() * 1000)),
      mute: r() < 0.2,
      solo: r() < 0.2,
      soloSafe: r() < 0.1,
      output: pick(targets),
      sends: sends(),
      comp: { ...testMix.track('x').comp, on: r() < 0.5, sidechain: r() < 0.5 ? pick([...trackIds, 'ghost']) : null },
    }),
  );
  const buses: BusState[] = busIds.map((id) =>
    testMix.bus(id, r() < 0.5 ? 'aux' : 'group', { order: Math.floor(r() * 3), output: pick(targets), sends: sends(), mute: r() < 0.2, solo: r() < 0.15 }),
  );
  return testMix.state(tracks, buses);
}

describe('buildMixPlan on random states', () => {
  it('always yields a valid, ordered, deterministic plan with repaired routing', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const state = randomState(seed);
      const plan = buildMixPlan(state);
      expect(() => validateMixPlan(plan), `seed ${seed}`).not.toThrow();
      // Same state, arrays shuffled: same plan.
      const shuffled = { ...state, tracks: [...state.tracks].reverse(), buses: [...state.buses].reverse() };
      expect(buildMixPlan(shuffled), `seed ${seed}`).toEqual(plan);
      const ids = new Set(plan.nodes.map((n) => n.id));
      expect(ids.size, `seed ${seed}`).toBe(plan.nodes.length);
      // Every strip's mute node has exactly one way out, to a bus input or the master.
      for (const n of plan.nodes.filter((x) => x.role === 'mute')) {
        const out = plan.edges.filter((e) => e.from === n.id);
        expect(out, `seed ${seed} ${n.id}`).toHaveLength(1);
        expect(out[0]!.to, `seed ${seed}`).toMatch(/^(bus:[^:]+:in|master::fader)$/);
      }
      // Sends only ever reach aux buses.
      const aux = new Set(state.buses.filter((b) => b.kind === 'aux').map((b) => `bus:${b.id}:in`));
      for (const n of plan.nodes.filter((x) => x.role.startsWith('send:'))) {
        for (const e of plan.edges.filter((x) => x.from === n.id)) expect(aux.has(e.to), `seed ${seed} ${n.id}`).toBe(true);
      }
      // Exactly one output node, last.
      expect(plan.nodes.filter((n) => n.kind === 'output')).toHaveLength(1);
      expect(plan.nodes.at(-1)!.kind).toBe('output');
    }
  });
});
