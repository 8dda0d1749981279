import { describe, expect, it } from 'vitest';
import { buildMixPlan, type MixPlan } from '@mixroom/shared/plan';
import { testMix } from '../../../../shared/src/plan/testing/testMix.ts';
import { partitionPlan } from './partitionPlan.ts';
import { planSumChains } from './planSumChains.ts';

const sends = [
  { bus: 'verb', level: -6, pre: false, on: true },
  { bus: 'echo', level: -9, pre: false, on: true },
];

/** `n` tracks, each to the master and two aux buses: the bench's routing. */
function routing(n: number): MixPlan {
  const tracks = Array.from({ length: n }, (_, i) => testMix.track(`t${String(i).padStart(2, '0')}`, { sends }));
  return buildMixPlan(testMix.state(tracks, [testMix.bus('verb', 'aux', { order: 1 }), testMix.bus('echo', 'aux', { order: 2 })]));
}

const inputsOf = (plan: MixPlan, to: string) => plan.edges.filter((e) => e.to === to && e.input === 0).map((e) => e.from);

describe('planSumChains', () => {
  it('hands each bus sum along contiguous runs of tracks: one partial per worker and bus, not one signal per track and bus', () => {
    const plan = routing(12);
    const targets = ['bus:verb:in', 'bus:echo:in', 'master::fader'];
    for (const workers of [1, 2, 3]) {
      const { shares, chains, mainImports, plan: run } = planSumChains(plan, partitionPlan(plan, workers).shares);
      // Contiguous runs of about equal size, in track order.
      expect(shares.map((s) => s.trackIds.length)).toEqual(workers === 1 ? [12] : workers === 2 ? [6, 6] : [4, 4, 4]);
      expect(shares.flatMap((s) => s.trackIds)).toEqual(Array.from({ length: 12 }, (_, i) => `t${String(i).padStart(2, '0')}`));
      expect(chains.map((c) => c.target).sort()).toEqual([...targets].sort());
      shares.forEach((s, w) => {
        expect(s.exports).toEqual(targets.map((t) => `sum:${t}:${w}`).sort((a, b) => s.exports.indexOf(a) - s.exports.indexOf(b)));
        expect(s.relays).toEqual(w === 0 ? [] : s.exports.map((id) => ({ id: id.replace(/:\d+$/, `:${w - 1}`), from: w - 1 })));
      });
      expect([...mainImports].sort()).toEqual(targets.map((t) => `sum:${t}:${workers - 1}`).sort());
      for (const t of targets) {
        // The bus reads the last partial where its first track input stood; each partial
        // reads the previous one first, then its own tracks in the original order.
        expect(inputsOf(run, t)[0]).toBe(`sum:${t}:${workers - 1}`);
        const original = inputsOf(plan, t);
        const rebuilt = shares.flatMap((_, w) => inputsOf(run, `sum:${t}:${w}`).filter((id) => !id.startsWith('sum:')));
        expect(rebuilt).toEqual(original.filter((id) => id.startsWith('track:')));
        shares.forEach((_, w) => {
          if (w > 0) expect(inputsOf(run, `sum:${t}:${w}`)[0]).toBe(`sum:${t}:${w - 1}`);
        });
      }
    }
  });

  it('stops a chain where the inputs go back to an earlier worker; the rest are exported one by one', () => {
    const plan = routing(6);
    // The reverb bus reads t00..t02 (worker 0), t03..t05 (worker 1), then t01 again as a
    // last input (a copy of its send edge): worker order 0, 1, 0 is not a chain.
    const verb = plan.edges.filter((e) => e.to === 'bus:verb:in');
    const scrambled: MixPlan = { ...plan, edges: [...plan.edges.filter((e) => e.to !== 'bus:verb:in'), ...verb, verb[1]!] };
    const { shares, mainImports, plan: run } = planSumChains(scrambled, partitionPlan(scrambled, 2).shares);
    expect(inputsOf(run, 'bus:verb:in')).toEqual(['sum:bus:verb:in:1', 'track:t01:send:verb']);
    expect(shares[0]!.exports).toContain('track:t01:send:verb');
    expect(mainImports.has('track:t01:send:verb')).toBe(true);
    // A bus whose first input comes from a later worker than its second has no chain at all.
    const reversed: MixPlan = { ...plan, edges: [...plan.edges.filter((e) => e.to !== 'bus:echo:in'), ...plan.edges.filter((e) => e.to === 'bus:echo:in').reverse()] };
    const r = planSumChains(reversed, partitionPlan(reversed, 2).shares);
    expect(inputsOf(r.plan, 'bus:echo:in')[0]).toBe('sum:bus:echo:in:1');
    expect(inputsOf(r.plan, 'bus:echo:in').slice(1)).toEqual(['track:t02:send:echo', 'track:t01:send:echo', 'track:t00:send:echo']);
  });

  it('leaves a bus fed by a single track signal alone', () => {
    const plan = buildMixPlan(testMix.state([testMix.track('a', { sends: [sends[0]!] }), testMix.track('b')], [testMix.bus('verb', 'aux')]));
    const { chains, shares } = planSumChains(plan, partitionPlan(plan, 2).shares);
    expect(chains.map((c) => c.target)).toEqual(['master::fader']);
    expect(shares[0]!.exports).toEqual(['track:a:send:verb', 'sum:master::fader:0']);
  });
});
