import { describe, expect, it } from 'vitest';
import type { MixState } from './MixState.ts';
import { defaultBus, defaultMaster, defaultSession, defaultTrack } from './mixDefaults.ts';
import { validateMixState } from './validateMixState.ts';

function validState(): MixState {
  const kick = defaultTrack('kick', 'Kick', { key: 'r/k', fileName: 'kick.wav', sampleRate: 48000, channels: 1, frames: 100 }, 0);
  const bass = defaultTrack('bass', 'Bass', null, 1);
  bass.comp.sidechain = 'kick';
  bass.output = 'grp';
  bass.sends = [
    { bus: 'dly', level: -6, pre: false, on: true },
    { bus: 'rev', level: -12, pre: true, on: true },
  ];
  const rev = defaultBus('rev', 'Reverb', 'aux', 0);
  const dly = defaultBus('dly', 'Delay', 'aux', 1);
  const grp = defaultBus('grp', 'Group', 'group', 2);
  grp.sends = [{ bus: 'rev', level: 0, pre: false, on: true }];
  return { session: defaultSession('Song', 48000), tracks: [kick, bass], buses: [rev, dly, grp], master: defaultMaster() };
}

function issuesOf(mutate: (s: MixState) => void): string[] {
  const state = validState();
  mutate(state);
  const result = validateMixState(state);
  return result.ok ? [] : result.issues;
}

describe('validateMixState', () => {
  it('accepts a valid state and its JSON round trip', () => {
    const state = validState();
    expect(validateMixState(state)).toEqual({ ok: true, state });
    expect(validateMixState(JSON.parse(JSON.stringify(state))).ok).toBe(true);
  });

  it.each<[string, (s: MixState) => void, RegExp]>([
    ['NaN gain', (s) => (s.tracks[0]!.gain = Number.NaN), /tracks\[0\]\.gain: expected a finite number/],
    ['out of range pan', (s) => (s.buses[0]!.pan = 2), /buses\[0\]\.pan: 2 outside -1\.\.1/],
    ['missing field', (s) => delete (s.tracks[1] as Partial<MixState['tracks'][0]>).trim, /tracks\[1\]\.trim: missing/],
    ['wrong type', (s) => ((s.tracks[0] as unknown as Record<string, unknown>).mute = 'yes'), /tracks\[0\]\.mute: expected a boolean/],
    ['unknown band type', (s) => ((s.tracks[0]!.eq.bands[1] as { type: string }).type = 'lowpass'), /bands\[1\]\.type/],
    ['three bands', (s) => (s.tracks[0]!.eq.bands as unknown as unknown[]).pop(), /exactly 4 bands/],
    ['unsorted tracks', (s) => s.tracks.reverse(), /tracks\[1\]: not sorted/],
    ['duplicate id', (s) => (s.buses[2]!.id = 'kick'), /duplicate id kick/],
    ['send to a group', (s) => (s.tracks[0]!.sends = [{ bus: 'grp', level: 0, pre: false, on: true }]), /not an existing aux bus/],
    ['two sends to one bus', (s) => s.tracks[1]!.sends.push({ bus: 'rev', level: 0, pre: false, on: true }), /one per bus/],
    ['aux with sends', (s) => (s.buses[0]!.sends = [{ bus: 'dly', level: 0, pre: false, on: true }]), /aux buses have no sends/],
    ['output to aux', (s) => (s.tracks[0]!.output = 'rev'), /tracks\[0\]\.output/],
    ['output to itself', (s) => (s.buses[2]!.output = 'grp'), /buses\[2\]\.output/],
    ['self sidechain', (s) => (s.tracks[1]!.comp.sidechain = 'bass'), /sidechain: not another existing track/],
    ['group with effect', (s) => (s.buses[2]!.effect = { type: 'delay', time: 1, feedback: 0, damping: 1000 }), /group buses have no effect/],
    ['bad id', (s) => (s.tracks[0]!.id = 'master'), /tracks\[0\]\.id/],
    ['bad color', (s) => (s.tracks[0]!.color = 'red'), /color: expected #rrggbb/],
    ['bad stem', (s) => (s.tracks[0]!.stem!.frames = -1), /stem\.frames/],
    ['unknown pan law', (s) => ((s.buses[1] as unknown as Record<string, unknown>).panLaw = 'linear'), /buses\[1\]\.panLaw: expected one of balance, webaudio/],
  ])('reports %s', (_name, mutate, pattern) => {
    const issues = issuesOf(mutate);
    expect(issues.some((i) => pattern.test(i)), issues.join('\n')).toBe(true);
  });

  it('accepts a version snapshot from before pan laws (no panLaw on its strips)', () => {
    const state = JSON.parse(JSON.stringify(validState())) as Record<string, Record<string, unknown>[]>;
    for (const s of [...state.tracks!, ...state.buses!]) delete s.panLaw;
    expect(validateMixState(state).ok).toBe(true);
  });

  it('reports a routing cycle through a send and an output', () => {
    const issues = issuesOf((s) => (s.buses[0]!.output = 'grp'));
    expect(issues).toEqual(['buses: routing cycle grp -> rev -> grp']);
  });

  it('rejects non-objects', () => {
    expect(validateMixState(null)).toEqual({ ok: false, issues: ['state: expected an object'] });
    expect(validateMixState({}).ok).toBe(false);
  });
});
