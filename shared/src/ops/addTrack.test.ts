import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { initMixDoc } from '../model/initMixDoc.ts';
import { readMixState } from '../model/readMixState.ts';
import { validateMixState } from '../model/validateMixState.ts';
import { createOrigin } from '../protocol/TransactionOrigin.ts';
import { addTrack } from './addTrack.ts';
import { MixOpError } from './MixOpError.ts';

const origin = createOrigin('local-user', 'u1');
const stem = { key: 'room/abc.wav', fileName: 'kick.wav', sampleRate: 48000, channels: 1, frames: 48000 };

function freshDoc() {
  const doc = new Y.Doc();
  initMixDoc(doc, { title: 't', sampleRate: 48000 });
  return doc;
}

describe('addTrack', () => {
  it('adds neutral tracks in order, carrying the origin', () => {
    const doc = freshDoc();
    const origins: unknown[] = [];
    doc.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin));
    const a = addTrack(doc, { name: ' Kick ', stem }, origin);
    const b = addTrack(doc, { name: 'Snare', stem: null }, origin);
    const state = readMixState(doc);
    expect(state.tracks.map((t) => [t.id, t.name, t.order])).toEqual([
      [a, 'Kick', 0],
      [b, 'Snare', 1],
    ]);
    const kick = state.tracks[0]!;
    expect(kick.stem).toEqual(stem);
    expect([kick.gain, kick.trim, kick.pan, kick.mute, kick.comp.on, kick.sat.on, kick.eq.hpf.on]).toEqual([0, 0, 0, false, false, false, false]);
    expect(kick.eq.bands.every((band) => band.gain === 0)).toBe(true);
    expect(kick.output).toBe('master');
    expect(kick.panLaw).toBe('balance');
    expect(origins).toEqual([origin, origin]);
    expect(validateMixState(state).ok).toBe(true);
  });

  it('refuses bad names, bad stems, duplicate ids and uninitialised docs without writing', () => {
    const doc = freshDoc();
    const before = Y.encodeStateAsUpdate(doc);
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return e instanceof MixOpError ? e.code : 'other';
      }
      return 'none';
    };
    expect(code(() => addTrack(doc, { name: '  ', stem: null }, origin))).toBe('invalid-value');
    expect(code(() => addTrack(doc, { name: 42 as unknown as string, stem: null }, origin))).toBe('wrong-type');
    expect(code(() => addTrack(doc, { name: 'a', stem: { ...stem, channels: 0 } }, origin))).toBe('invalid-value');
    expect(code(() => addTrack(doc, { name: 'a', stem: 'x' as never }, origin))).toBe('wrong-type');
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
    addTrack(doc, { name: 'a', stem: null, id: 'fixed' }, origin);
    expect(code(() => addTrack(doc, { name: 'b', stem: null, id: 'fixed' }, origin))).toBe('invalid-value');
    expect(code(() => addTrack(new Y.Doc(), { name: 'a', stem: null }, origin))).toBe('not-initialised');
  });
});
