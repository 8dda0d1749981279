import { describe, expect, it } from 'vitest';
import { applyMixChanges } from './applyMixChanges.ts';
import { canonicalJson } from './canonicalJson.ts';
import { contentHash, sha256Hex } from './contentHash.ts';
import { diffMixStates, listMixChanges } from './diffMixStates.ts';
import { fixtureMix, fixtureTrack } from './reviewFixtures.testkit.ts';
import type { MixState } from '../model/MixState.ts';

describe('canonicalJson / contentHash', () => {
  it('is independent of key order and normalises -0', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], c: { z: -0, y: 1.5 } })).toBe('{"a":[true,null,"x"],"b":1,"c":{"y":1.5,"z":0}}');
    expect(contentHash({ a: 1, b: 2 })).toBe(contentHash({ b: 2, a: 1 }));
    expect(contentHash({ a: 1, b: 2 })).not.toBe(contentHash({ a: 1, b: 3 }));
  });
  it('refuses values JSON cannot carry', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ a: [undefined] })).toThrow(TypeError);
  });
  it('hashes like standard SHA-256', () => {
    expect(sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
  it('hashes a mix state stably under reordered keys', () => {
    const a = fixtureMix();
    const reordered = JSON.parse(JSON.stringify(a, Object.keys(a).reverse())) as typeof a;
    expect(contentHash(structuredClone(a))).toBe(contentHash(a));
    expect(Object.keys(reordered)).not.toEqual(Object.keys(a));
    const b = fixtureMix();
    (b.tracks[0] as { gain: number }).gain = 0.1;
    expect(contentHash(b)).not.toBe(contentHash(a));
  });
});

describe('diffMixStates', () => {
  it('describes parameter changes in engineer words, each from → to', () => {
    const a = fixtureMix();
    const b = structuredClone(a);
    const vocal = b.tracks[0]!;
    vocal.gain = 1.5;
    vocal.eq.bands[2].gain = -2;
    vocal.pan = -0.3;
    vocal.mute = true;
    vocal.comp.ratio = 6;
    vocal.sends[0]!.level = -9;
    b.master.limiter.ceiling = -0.3;
    b.buses[0]!.effect = { type: 'reverb', decay: 2.4, preDelay: 0.02, damping: 6000 };
    expect(diffMixStates(a, b)).toEqual([
      'Vocal: fader 0.0 dB → +1.5 dB',
      'Vocal: muted',
      'Vocal: pan C → L30',
      'Vocal: EQ band 3 gain 0.0 dB → -2.0 dB at 3.2 kHz',
      'Vocal: compressor ratio 4:1 → 6:1',
      'Vocal: send to Plate -12.0 dB → -9.0 dB',
      'Plate: effect decay 1.8 s → 2.4 s',
      'Master: limiter ceiling -1.0 dB → -0.3 dB',
    ]);
  });
  it('names a pan law switch, and reads a snapshot from before pan laws as the Web Audio law', () => {
    const a = fixtureMix();
    const legacy = structuredClone(a) as unknown as { tracks: Record<string, unknown>[]; buses: Record<string, unknown>[] };
    for (const s of [...legacy.tracks, ...legacy.buses]) delete s.panLaw;
    const migrated = structuredClone(a);
    for (const s of [...migrated.tracks, ...migrated.buses]) s.panLaw = 'webaudio';
    expect(diffMixStates(legacy as unknown as MixState, migrated)).toEqual([]);
    const switched = structuredClone(migrated);
    switched.tracks[0]!.panLaw = 'balance';
    expect(diffMixStates(legacy as unknown as MixState, switched)).toEqual(['Vocal: pan law Web Audio → balance']);
  });

  it('matches tracks by id: reorder is "moved", add/remove are whole-track lines', () => {
    const a = fixtureMix();
    const b = structuredClone(a);
    b.tracks.reverse();
    b.tracks[0]!.order = 2;
    b.tracks.push(fixtureTrack('t-gtr', 'Guitar', 3));
    b.tracks = b.tracks.filter((t) => t.id !== 't-vocal');
    expect(diffMixStates(a, b)).toEqual(['Bass: moved', 'Added track Guitar', 'Removed track Vocal']);
    expect(diffMixStates(a, structuredClone(a))).toEqual([]);
  });
});

describe('applyMixChanges', () => {
  it('applies a suggestion to a newer mix and skips what no longer exists', () => {
    const heard = fixtureMix();
    const proposed = structuredClone(heard);
    proposed.tracks[0]!.gain = -2;
    proposed.tracks[1]!.eq.bands[1].freq = 640;
    const changes = listMixChanges(heard, proposed);
    const live = structuredClone(heard);
    live.master.gain = 1;
    live.tracks = live.tracks.filter((t) => t.id !== 't-bass');
    const result = applyMixChanges(live, changes);
    expect(result.applied.map((c) => c.text)).toEqual(['Vocal: fader 0.0 dB → -2.0 dB']);
    expect(result.skipped.map((c) => c.text)).toEqual(['Bass: EQ band 2 500 Hz → 640 Hz']);
    expect(result.state.tracks[0]!.gain).toBe(-2);
    expect(result.state.master.gain).toBe(1);
    expect(live.tracks[0]!.gain).toBe(0);
  });
  it('refuses a value of the wrong type', () => {
    const state = fixtureMix();
    const result = applyMixChanges(state, [{ kind: 'param', scope: 'track', id: 't-vocal', path: ['gain'], before: 0, after: 'loud', text: '' }]);
    expect(result.applied).toEqual([]);
    expect(result.state.tracks[0]!.gain).toBe(0);
  });
});
