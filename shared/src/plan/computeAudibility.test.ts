import { describe, expect, it } from 'vitest';
import type { BusState, TrackState } from '../model/MixState.ts';
import { buildMixPlan } from './buildMixPlan.ts';
import type { MixPlan } from './MixPlan.ts';
import { testMix } from './testing/testMix.ts';

/** Which strips' mute nodes and which sends are open in the plan. */
function heard(plan: MixPlan): string[] {
  return plan.nodes
    .filter((n) => n.kind === 'gain' && (n.role === 'mute' || n.role.startsWith('send:')) && n.gain !== 0)
    .map((n) => (n.role === 'mute' ? n.owner.id : `${n.owner.id}>${n.role.slice(5)}`))
    .sort();
}

function mix(over: { tracks?: Record<string, Partial<TrackState>>; buses?: Record<string, Partial<BusState>> } = {}) {
  const send = (bus: string) => [{ bus, level: 0, pre: false, on: true }];
  const tracks = [
    testMix.track('kick', { output: 'drums', sends: send('verb'), ...over.tracks?.kick }),
    testMix.track('snare', { output: 'drums', sends: send('verb'), ...over.tracks?.snare }),
    testMix.track('vox', { sends: send('verb'), ...over.tracks?.vox }),
    testMix.track('gtr', { ...over.tracks?.gtr }),
  ];
  const buses = [testMix.bus('drums', 'group', over.buses?.drums), testMix.bus('verb', 'aux', over.buses?.verb)];
  return heard(buildMixPlan(testMix.state(tracks, buses)));
}

describe('solo / mute matrix (computed in the plan)', () => {
  it('hears everything without solo or mute', () => {
    expect(mix()).toEqual(['drums', 'gtr', 'kick', 'kick>verb', 'snare', 'snare>verb', 'verb', 'vox', 'vox>verb']);
  });

  it('mute closes the strip and its sends', () => {
    expect(mix({ tracks: { vox: { mute: true } } })).toEqual(['drums', 'gtr', 'kick', 'kick>verb', 'snare', 'snare>verb', 'verb']);
  });

  it('soloing a track keeps its solo-safe reverb (fed only by it) and mutes the rest', () => {
    expect(mix({ tracks: { vox: { solo: true } } })).toEqual(['verb', 'vox', 'vox>verb']);
  });

  it('soloing a track in a group keeps the group open', () => {
    expect(mix({ tracks: { kick: { solo: true } } })).toEqual(['drums', 'kick', 'kick>verb', 'verb']);
  });

  it('soloing a group keeps its member tracks', () => {
    expect(mix({ buses: { drums: { solo: true } } })).toEqual(['drums', 'kick', 'kick>verb', 'snare', 'snare>verb', 'verb']);
  });

  it('mute beats solo, and a muted solo still puts the room in solo mode', () => {
    expect(mix({ tracks: { vox: { solo: true, mute: true } } })).toEqual(['verb']);
    expect(mix({ tracks: { kick: { mute: true } }, buses: { drums: { solo: true } } })).toEqual(['drums', 'snare', 'snare>verb', 'verb']);
  });

  it('an aux that is not solo-safe is muted by a track solo', () => {
    expect(mix({ tracks: { vox: { solo: true } }, buses: { verb: { soloSafe: false } } })).toEqual(['vox', 'vox>verb']);
  });

  it('soloing an aux return plays the whole return, fed by every send', () => {
    expect(mix({ buses: { verb: { solo: true } } })).toEqual(['kick>verb', 'snare>verb', 'verb', 'vox>verb']);
  });

  it('a solo-safe track stays audible through a solo', () => {
    expect(mix({ tracks: { vox: { solo: true }, gtr: { soloSafe: true } } })).toEqual(['gtr', 'verb', 'vox', 'vox>verb']);
  });

  it('a solo-safe return routed through a group keeps that group open, not its other members', () => {
    // verb -> drums: soloing vox keeps verb (solo-safe) and therefore drums, but kick and
    // snare (drums members, not soloed) stay closed, and so do their sends.
    expect(mix({ tracks: { vox: { solo: true } }, buses: { verb: { output: 'drums' } } })).toEqual(['drums', 'verb', 'vox', 'vox>verb']);
  });

  it('a switched-off send stays closed', () => {
    expect(mix({ tracks: { vox: { sends: [{ bus: 'verb', level: 0, pre: true, on: false }] } } })).not.toContain('vox>verb');
  });
});
