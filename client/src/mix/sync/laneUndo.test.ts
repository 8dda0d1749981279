import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getMixRoot, initMixDoc, lanesOf, readMixState } from '@mixroom/shared/model';
import { addAutomationPoint, addSend, addTrack, clearAutomationLane, moveAutomationPoint, removeAutomationPoints, removeBus, removeTrack, writeAutomationRange, type ParamAddress } from '@mixroom/shared/ops';
import { createOrigin } from '@mixroom/shared/protocol';
import { UNDO_CAPTURE_MS } from './RoomSession.ts';

const setup = createOrigin('server', 'test-setup');
const fader: ParamAddress = { kind: 'track', trackId: 'vox', param: 'gain' };
const send: ParamAddress = { kind: 'send', fromId: 'vox', busId: 'rev', param: 'level' };

/**
 * Two linked peers, each with the UndoManager RoomSession gives its user: the mix root,
 * tracking only that user's origin. Every op is its own undo step (stopCapturing between,
 * as discrete UI edits do), so no wall clock decides what merges.
 */
function room() {
  const server = new Y.Doc();
  initMixDoc(server, { title: 'u', sampleRate: 48000, reverbBusId: 'rev', delayBusId: 'dly' });
  addTrack(server, { id: 'vox', name: 'Vox', stem: null }, setup);
  addSend(server, { fromId: 'vox', busId: 'rev' }, setup);
  for (const t of [1, 2, 3]) addAutomationPoint(server, { address: fader, time: t, value: -t, id: `s${t}` }, setup);
  const peer = (user: string) => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(server));
    const origin = createOrigin('local-user', user);
    const undo = new Y.UndoManager(getMixRoot(doc), { trackedOrigins: new Set([origin]), captureTimeout: UNDO_CAPTURE_MS });
    const step = <T>(edit: (doc: Y.Doc, origin: typeof setup) => T): T => {
      const out = edit(doc, origin);
      undo.stopCapturing();
      return out;
    };
    const lane = (path = 'gain') => (lanesOf(readMixState(doc), 'track', 'vox')[path]?.points ?? []).map((p) => [p.id, p.time, p.value]);
    return { doc, undo, step, lane };
  };
  const A = peer('ana');
  const B = peer('ben');
  A.doc.on('update', (u: Uint8Array, o: unknown) => o !== 'net' && Y.applyUpdate(B.doc, u, 'net'));
  B.doc.on('update', (u: Uint8Array, o: unknown) => o !== 'net' && Y.applyUpdate(A.doc, u, 'net'));
  return { A, B };
}

describe('per-user undo of automation', () => {
  it('undoes my lane edits step by step, on both peers, back to the exact points', () => {
    const { A, B } = room();
    const before = A.lane();
    A.step((d, o) => moveAutomationPoint(d, { address: fader, id: 's2', time: 2.5, value: 6 }, o));
    A.step((d, o) => removeAutomationPoints(d, { address: fader, ids: ['s1'] }, o));
    A.step((d, o) => writeAutomationRange(d, { address: fader, from: 2, to: 3, points: [{ time: 2.2, value: 0, id: 'w1' }] }, o));
    A.step((d, o) => clearAutomationLane(d, { address: fader }, o));
    expect(B.lane()).toEqual([]);
    A.undo.undo();
    expect(B.lane()).toEqual([
      ['w1', 2.2, 0],
    ]);
    A.undo.undo();
    expect(B.lane()).toEqual([
      ['s2', 2.5, 6],
      ['s3', 3, -3],
    ]);
    A.undo.undo();
    A.undo.undo();
    expect(B.lane()).toEqual(before);
    expect(A.lane()).toEqual(before);
    A.undo.redo();
    expect(B.lane()).toEqual([
      ['s1', 1, -1],
      ['s2', 2.5, 6],
      ['s3', 3, -3],
    ]);
  });

  it("never takes back another user's points: a point added during my clear survives my undo, and theirs moves stay", () => {
    const { A, B } = room();
    A.step((d, o) => clearAutomationLane(d, { address: fader }, o));
    B.step((d, o) => addAutomationPoint(d, { address: fader, time: 5, value: -5, id: 'b1' }, o));
    A.step((d, o) => addAutomationPoint(d, { address: fader, time: 7, value: -7, id: 'a1' }, o));
    B.step((d, o) => moveAutomationPoint(d, { address: fader, id: 'a1', value: 3 }, o));
    // My insert's undo cannot take back Ben's later move of that point, so it changes nothing
    // and Yjs goes on to my clear: my points come back beside Ben's, his move stays.
    A.undo.undo();
    expect(B.lane()).toEqual([
      ['s1', 1, -1],
      ['s2', 2, -2],
      ['s3', 3, -3],
      ['b1', 5, -5],
      ['a1', 7, 3],
    ]);
    expect(A.undo.canUndo()).toBe(false);
    expect(A.lane()).toEqual(B.lane());
  });

  it('undoing a removed bus or track brings their lanes back', () => {
    const { A, B } = room();
    A.step((d, o) => addAutomationPoint(d, { address: send, time: 4, value: -9, id: 'v1' }, o));
    A.step((d, o) => removeBus(d, { busId: 'rev' }, o));
    expect(B.lane('sends.rev.level')).toEqual([]);
    A.undo.undo();
    expect(B.lane('sends.rev.level')).toEqual([['v1', 4, -9]]);
    B.step((d, o) => removeTrack(d, { trackId: 'vox' }, o));
    expect(readMixState(A.doc).tracks).toEqual([]);
    B.undo.undo();
    expect(A.lane()).toEqual([
      ['s1', 1, -1],
      ['s2', 2, -2],
      ['s3', 3, -3],
    ]);
    expect(A.lane('sends.rev.level')).toEqual([['v1', 4, -9]]);
  });
});
