import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getMixRoot, getTracksMap } from './mixDocAccessors.ts';
import { initMixDoc } from './initMixDoc.ts';
import { readMixState } from './readMixState.ts';
import { validateMixState } from './validateMixState.ts';
import { CURRENT_SCHEMA_VERSION } from './schemaVersion.ts';

describe('initMixDoc + readMixState', () => {
  it('creates session, default aux reverb and delay, neutral master', () => {
    const doc = new Y.Doc();
    initMixDoc(doc, { title: 'Song', sampleRate: 44100 });
    const state = readMixState(doc);
    expect(state.session).toEqual({ title: 'Song', sampleRate: 44100, schemaVersion: CURRENT_SCHEMA_VERSION, tempo: null });
    expect(state.tracks).toEqual([]);
    expect(state.buses.map((b) => [b.name, b.kind, b.effect?.type, b.soloSafe])).toEqual([
      ['Reverb', 'aux', 'reverb', true],
      ['Delay', 'aux', 'delay', true],
    ]);
    expect(state.master.gain).toBe(0);
    expect(state.master.limiter.on).toBe(false);
    expect(validateMixState(state)).toEqual({ ok: true, state });
  });

  it('is idempotent: a second call writes nothing', () => {
    const doc = new Y.Doc();
    initMixDoc(doc, { title: 'Song', sampleRate: 48000 });
    const before = Y.encodeStateVector(doc);
    let updates = 0;
    doc.on('update', () => updates++);
    initMixDoc(doc, { title: 'Other', sampleRate: 96000 });
    expect(updates).toBe(0);
    expect(Y.encodeStateVector(doc)).toEqual(before);
    expect(readMixState(doc).session.title).toBe('Song');
  });

  it('reads an empty document as a valid default mix', () => {
    const state = readMixState(new Y.Doc());
    expect(validateMixState(state).ok).toBe(true);
    expect(state.session.sampleRate).toBe(48000);
  });

  it('reads garbage values as defaults and clamps out-of-range numbers', () => {
    const doc = new Y.Doc();
    initMixDoc(doc, { title: 'x', sampleRate: 48000 });
    doc.transact(() => {
      const t = new Y.Map<unknown>();
      getTracksMap(doc)!.set('t1', t);
      t.set('gain', 400);
      t.set('pan', 'left');
      t.set('trim', Number.NaN);
      t.set('output', 'no-such-bus');
      t.set('panLaw', 'linear');
      getMixRoot(doc).set('master', 'broken');
    });
    const state = readMixState(doc);
    const t = state.tracks[0]!;
    expect(t.gain).toBe(12);
    expect(t.pan).toBe(0);
    expect(t.trim).toBe(0);
    expect(t.output).toBe('master');
    // Without a valid law the strip is one from before pan laws: it keeps the Web Audio law.
    expect(t.panLaw).toBe('webaudio');
    expect(t.eq.bands).toHaveLength(4);
    expect(validateMixState(state).ok).toBe(true);
  });

  it('skips entries with invalid ids and buses that reuse a track id', () => {
    const doc = new Y.Doc();
    initMixDoc(doc, { title: 'x', sampleRate: 48000 });
    doc.transact(() => {
      const tracks = getTracksMap(doc)!;
      const buses = getMixRoot(doc).get('buses') as Y.Map<unknown>;
      tracks.set('ok', new Y.Map());
      tracks.set('master', new Y.Map());
      tracks.set('has space', new Y.Map());
      tracks.set('leaf', 5);
      const clash = new Y.Map<unknown>();
      buses.set('ok', clash);
      clash.set('kind', 'group');
    });
    const state = readMixState(doc);
    expect(state.tracks.map((t) => t.id)).toEqual(['ok']);
    expect(state.buses.map((b) => b.id)).not.toContain('ok');
    expect(validateMixState(state).ok).toBe(true);
  });
});
