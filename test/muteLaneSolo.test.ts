/**
 * A mute lane under solo: a strip muted by its lane must sound as a statically muted strip
 * wherever the plan decides who is heard (mute beats solo, a muted strip's sends close, a
 * soloed group keeps its members, a solo-safe return keeps its group, a soloed return is fed
 * by every send), and a lane that holds it open as an unmuted one. The plan resolves
 * audibility as if a laned strip were unmuted and lets the lane gate its mute node and its
 * sends; where that opens a node the static mute closes (a group downstream of a soloed
 * member), the node only ever carries the gated strip, so the sound is the same. Measured by
 * nulling bakes, and the browser engine against the bake with a lane that toggles under solo.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AutomationLane, BusState, MixState, TrackState } from '@mixroom/shared/model';
import { buildMixPlan } from '@mixroom/shared/plan';
import { testMix } from '../shared/src/plan/testing/testMix.ts';
import { bakeInNode } from './browser/bakeInNode.ts';
import { startEngineHarness, type EngineHarness } from './browser/startEngineHarness.ts';
import { noiseStem, peakDb, residualDb, rmsDb } from './browser/testStems.ts';

const RATE = 48000;
const FRAMES = Math.round(0.6 * RATE);
const LIMIT_DB = -90;
const TRACKS = ['kick', 'snare', 'vox', 'gtr'] as const;
const stems = new Map<string, Float32Array[]>(TRACKS.map((id, i) => [id, [noiseStem(FRAMES, 0.3, 41 + i)]]));

type Flags = { solo?: boolean; soloSafe?: boolean; mute?: boolean; automation?: { mute: AutomationLane } };
/** kick and snare play through the drums group; every track but gtr sends to the verb return (solo-safe). */
function mix(flags: Record<string, Flags>, verbIntoDrums = false): MixState {
  const send = (bus: string) => [{ bus, level: -6, pre: false, on: true }];
  const track = (id: (typeof TRACKS)[number], over: Partial<TrackState>) => testMix.track(id, { stem: testMix.stem(id, 1, FRAMES), ...over, ...flags[id] });
  const tracks = [
    track('kick', { output: 'drums', sends: send('verb') }),
    track('snare', { output: 'drums', sends: [{ bus: 'verb', level: -6, pre: true, on: true }] }),
    track('vox', { sends: send('verb') }),
    track('gtr', {}),
  ];
  const buses: BusState[] = [
    testMix.bus('drums', 'group', flags['drums']),
    testMix.bus('verb', 'aux', { ...(verbIntoDrums ? { output: 'drums' } : {}), ...flags['verb'] }),
  ];
  return testMix.state(tracks, buses);
}

const held = (value: 0 | 1): { mute: AutomationLane } => ({ mute: { points: [{ id: 'm', time: 0, value, curve: 'step' }] } });

/** The solo situations of the plan's audibility rules, each with the strip a lane mutes in it. */
const CASES: { label: string; flags: Record<string, Flags>; target: string; verbIntoDrums?: boolean }[] = [
  { label: 'a soloed member of a group (the group stays open only through it)', flags: { kick: { solo: true } }, target: 'kick' },
  { label: 'a soloed group (its members and their sends stay heard)', flags: { drums: { solo: true } }, target: 'drums' },
  { label: 'a member of a soloed group', flags: { drums: { solo: true } }, target: 'snare' },
  { label: 'a group a solo-safe return keeps open', flags: { vox: { solo: true } }, target: 'drums', verbIntoDrums: true },
  { label: 'a soloed track (its return stays, fed by nothing)', flags: { vox: { solo: true } }, target: 'vox' },
  { label: 'a send into a soloed return', flags: { verb: { solo: true } }, target: 'kick' },
  { label: 'a pre-fader send, no solo', flags: {}, target: 'snare' },
  { label: 'the soloed return itself', flags: { verb: { solo: true }, gtr: { soloSafe: true } }, target: 'verb' },
];

const bake = (state: MixState) => {
  const plan = buildMixPlan(state);
  return bakeInNode(plan, stems, FRAMES);
};
const residual = (a: Float32Array[], b: Float32Array[]) => Math.max(residualDb(a[0]!, b[0]!), residualDb(a[1]!, b[1]!));
const level = (a: Float32Array[]) => Math.max(peakDb(a[0]!), peakDb(a[1]!));

describe('a mute lane decides like the static mute under solo (bake)', () => {
  for (const c of CASES) {
    it(c.label, async () => {
      const at = (f: Flags) => mix({ ...c.flags, [c.target]: { ...c.flags[c.target], ...f } }, c.verbIntoDrums);
      // Closed by the lane (the static mute off) against the static mute; open by the lane (the
      // static mute on: the lane wins) against no mute at all.
      const [laneClosed, muted, laneOpen, unmuted] = await Promise.all([
        bake(at({ mute: false, automation: held(1) })),
        bake(at({ mute: true })),
        bake(at({ mute: true, automation: held(0) })),
        bake(at({ mute: false })),
      ]);
      const closedR = residual(laneClosed, muted);
      const openR = residual(laneOpen, unmuted);
      // The mute is heard in the case (else the comparison says nothing).
      const moved = residual(muted, unmuted);
      console.log(
        `${c.label}, ${c.target} muted: lane closed vs static mute ${closedR.toFixed(1)} dBFS, lane open vs unmuted ${openR.toFixed(1)} dBFS ` +
          `(the mute itself moves it by ${moved.toFixed(1)} dBFS; levels ${level(muted).toFixed(1)} / ${level(unmuted).toFixed(1)} dBFS)`,
      );
      expect(moved).toBeGreaterThan(-40);
      expect(closedR).toBeLessThanOrEqual(LIMIT_DB);
      expect(openR).toBeLessThanOrEqual(LIMIT_DB);
    });
  }
});

describe('a mute lane toggling under solo: browser engine against the bake', () => {
  let h: EngineHarness;
  beforeAll(async () => {
    h = await startEngineHarness();
    for (const [key, channels] of stems) h.putStem(key, channels);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a soloed group member whose lane mutes it from 0.2 to 0.4 s, its reverb send and the group with it', async () => {
    const toggling: AutomationLane = {
      points: [
        { id: 'a', time: 0, value: 0, curve: 'step' },
        { id: 'b', time: 0.2, value: 1, curve: 'step' },
        { id: 'c', time: 0.4, value: 0, curve: 'step' },
      ],
    };
    // The kick is the only solo: the drums group is open only through it, the verb is solo-safe.
    const plan = buildMixPlan(mix({ kick: { solo: true, automation: { mute: toggling } } }));
    const [browser, baked] = await Promise.all([h.render({ plan, frames: FRAMES, meters: false }).then((r) => r.channels), bakeInNode(plan, stems, FRAMES)]);
    const r = residual(browser, baked);
    const span = (a: Float32Array[], from: number, to: number) => rmsDb(a[0]!, Math.round(from * RATE), Math.round(to * RATE));
    // The lane is heard: while it is closed only the reverb's tail is left.
    const open = span(baked, 0.05, 0.15);
    const closed = span(baked, 0.25, 0.35);
    console.log(`mute lane under solo: browser vs bake ${r.toFixed(1)} dBFS; the mix at ${open.toFixed(2)} dBFS open, ${closed.toFixed(2)} dBFS (the reverb's tail) closed`);
    expect(open - closed).toBeGreaterThan(3);
    expect(r).toBeLessThanOrEqual(LIMIT_DB);
  });
});
