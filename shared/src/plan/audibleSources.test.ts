import { describe, expect, it } from 'vitest';
import type { BusState, TrackState } from '../model/MixState.ts';
import { audibleSources } from './audibleSources.ts';
import { buildMixPlan } from './buildMixPlan.ts';
import { testMix } from './testing/testMix.ts';

/** Track ids whose stems are audible in the plan of this mix. */
function audible(over: { tracks?: Record<string, Partial<TrackState>>; buses?: Record<string, Partial<BusState>> } = {}): string[] {
  const send = (bus: string) => [{ bus, level: 0, pre: false, on: true }];
  const tracks = [
    testMix.track('kick', { output: 'drums', sends: send('verb'), ...over.tracks?.kick }),
    testMix.track('snare', { output: 'drums', ...over.tracks?.snare }),
    testMix.track('bass', { ...over.tracks?.bass }),
    testMix.track('vox', { sends: send('verb'), ...over.tracks?.vox }),
  ];
  const buses = [testMix.bus('drums', 'group', over.buses?.drums), testMix.bus('verb', 'aux', over.buses?.verb)];
  const plan = buildMixPlan(testMix.state(tracks, buses));
  return [...audibleSources(plan)].map((id) => id.split(':')[1]!).sort();
}

describe('audibleSources: the stems playback must wait for', () => {
  it('is every stem without mute or solo', () => {
    expect(audible()).toEqual(['bass', 'kick', 'snare', 'vox']);
  });

  it('leaves out a muted track, and a track a solo excludes', () => {
    expect(audible({ tracks: { vox: { mute: true } } })).toEqual(['bass', 'kick', 'snare']);
    expect(audible({ tracks: { vox: { solo: true } } })).toEqual(['vox']);
  });

  it('leaves out the members of a muted group heard only through it (the kick still feeds the reverb)', () => {
    expect(audible({ buses: { drums: { mute: true } } })).toEqual(['bass', 'kick', 'vox']);
  });

  it('keeps a track heard only through a send (its own strip muted by a solo on the return)', () => {
    expect(audible({ buses: { verb: { solo: true } } })).toEqual(['kick', 'vox']);
  });

  it('keeps a muted key that shapes an audible compressor, not one keying a bypassed compressor', () => {
    const keyed = (on: boolean) => ({ tracks: { kick: { mute: true, sends: [] }, bass: { comp: { ...testMix.track('x').comp, on, sidechain: 'kick' } } } });
    expect(audible(keyed(true))).toEqual(['bass', 'kick', 'snare', 'vox']);
    expect(audible(keyed(false))).toEqual(['bass', 'snare', 'vox']);
  });

  it('keeps a track whose fader is all the way down (the listener is still mixing it)', () => {
    expect(audible({ tracks: { bass: { gain: -Infinity } } })).toContain('bass');
  });
});
