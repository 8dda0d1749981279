import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { initMixDoc } from '../model/initMixDoc.ts';
import { readMixState } from '../model/readMixState.ts';
import { createOrigin } from '../protocol/TransactionOrigin.ts';
import { MixOpError } from './MixOpError.ts';
import { addBus } from './addBus.ts';
import { addSend } from './addSend.ts';
import { addTrack } from './addTrack.ts';
import { applyMixState } from './applyMixState.ts';
import { removeTrack } from './removeTrack.ts';
import { setOutput } from './setOutput.ts';
import { setTrackParam } from './setTrackParam.ts';

const o = createOrigin('local-user', 'u');

describe('applyMixState', () => {
  it('restores a saved state with a minimal diff', () => {
    const doc = new Y.Doc();
    initMixDoc(doc, { title: 't', sampleRate: 48000, reverbBusId: 'rev', delayBusId: 'dly' });
    addTrack(doc, { name: 'Kick', stem: null, id: 'kick' }, o);
    addTrack(doc, { name: 'Vox', stem: { key: 'k', fileName: 'v.wav', sampleRate: 48000, channels: 2, frames: 10 }, id: 'vox' }, o);
    addSend(doc, { fromId: 'vox', busId: 'rev', level: -10 }, o);
    const saved = readMixState(doc);

    // Edits after the save: param changes, a new bus with routing, a removed track.
    setTrackParam(doc, { trackId: 'kick', param: 'gain', value: -20 }, o);
    setTrackParam(doc, { trackId: 'vox', param: 'eq.bands.1.gain', value: 6 }, o);
    addBus(doc, { kind: 'group', name: 'G', id: 'g' }, o);
    setOutput(doc, { id: 'kick', output: 'g' }, o);
    removeTrack(doc, { trackId: 'vox' }, o);
    expect(readMixState(doc)).not.toEqual(saved);

    applyMixState(doc, saved, o);
    expect(readMixState(doc)).toEqual(saved);

    // Applying the same state again writes nothing.
    const sv = Y.encodeStateVector(doc);
    applyMixState(doc, saved, o);
    expect(Y.encodeStateVector(doc)).toEqual(sv);

    // A one-parameter difference is a small update that keeps a peer's concurrent edit.
    const peer = new Y.Doc();
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
    setTrackParam(peer, { trackId: 'kick', param: 'pan', value: 0.3 }, o);
    const target = structuredClone(saved);
    target.tracks[0]!.gain = -7;
    let updateBytes = 0;
    doc.once('update', (u: Uint8Array) => (updateBytes = u.byteLength));
    applyMixState(doc, target, o);
    expect(updateBytes).toBeGreaterThan(0);
    expect(updateBytes).toBeLessThan(60);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer));
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
    const merged = readMixState(doc);
    expect([merged.tracks[0]!.gain, merged.tracks[0]!.pan]).toEqual([-7, 0.3]);
    expect(readMixState(peer)).toEqual(merged);
  });

  it('restores a version saved before pan laws with the Web Audio law its strips were mixed with', () => {
    const doc = new Y.Doc();
    initMixDoc(doc, { title: 't', sampleRate: 48000 });
    const id = addTrack(doc, { name: 'Keys', stem: null }, o);
    const legacy = JSON.parse(JSON.stringify(readMixState(doc))) as { tracks: Record<string, unknown>[]; buses: Record<string, unknown>[] };
    for (const s of [...legacy.tracks, ...legacy.buses]) delete s.panLaw;
    expect(readMixState(doc).tracks[0]!.panLaw).toBe('balance');
    applyMixState(doc, legacy as never, o);
    const after = readMixState(doc);
    expect(after.tracks.find((t) => t.id === id)!.panLaw).toBe('webaudio');
    expect(after.buses.every((b) => b.panLaw === 'webaudio')).toBe(true);
  });

  it('refuses an invalid state and writes nothing', () => {
    const doc = new Y.Doc();
    initMixDoc(doc, { title: 't', sampleRate: 48000 });
    const bad = readMixState(doc);
    bad.master.gain = Number.NaN;
    const before = Y.encodeStateAsUpdate(doc);
    expect(() => applyMixState(doc, bad, o)).toThrow(MixOpError);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  });

  it('builds a whole mix into an empty document', () => {
    const source = new Y.Doc();
    initMixDoc(source, { title: 'x', sampleRate: 96000 });
    addTrack(source, { name: 'A', stem: null }, o);
    const state = readMixState(source);
    const doc = new Y.Doc();
    applyMixState(doc, state, o);
    expect(readMixState(doc)).toEqual(state);
  });

  it('round-trips automation lanes: written, read back deep-equal, one moved point a small update', () => {
    const doc = new Y.Doc();
    initMixDoc(doc, { title: 't', sampleRate: 48000, reverbBusId: 'rev', delayBusId: 'dly' });
    addTrack(doc, { name: 'Lead Vocal', stem: null, id: 'vox' }, o);
    addSend(doc, { fromId: 'vox', busId: 'rev', level: -10 }, o);
    const plain = readMixState(doc);
    const pt = (id: string, time: number, value: number) => ({ id, time, value, curve: 'linear' as const });
    const target = structuredClone(plain);
    const gain = Array.from({ length: 500 }, (_, i) => pt(`g${i}`, i * 0.25, -20 + (i % 30)));
    target.tracks[0]!.automation = { gain: { points: gain }, 'sends.rev.level': { points: [pt('s1', 3, -30), pt('s2', 4, -6)] } };
    target.buses[0]!.automation = { gain: { points: [pt('b1', 1, -4)] } };
    target.master.automation = { gain: { points: [pt('m1', 0, 0), pt('m2', 200, -2)] } };
    applyMixState(doc, target, o);
    expect(readMixState(doc)).toEqual(target);

    // A copy built from nothing reads the same: the layout carries everything.
    const copy = new Y.Doc();
    applyMixState(copy, target, o);
    expect(readMixState(copy)).toEqual(target);

    // Moving one point of 500 rewrites that one leaf only.
    const moved = structuredClone(target);
    (moved.tracks[0]!.automation.gain!.points as unknown as { value: number }[])[250]!.value = 6;
    let bytes = 0;
    doc.once('update', (u: Uint8Array) => (bytes = u.byteLength));
    applyMixState(doc, moved, o);
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThan(120);
    expect(readMixState(doc)).toEqual(moved);

    // Restoring the plain version takes every lane away again.
    applyMixState(doc, plain, o);
    expect(readMixState(doc)).toEqual(plain);
  });
});
