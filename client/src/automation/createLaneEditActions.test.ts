import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getMixRoot, initMixDoc, lanesOf, readMixState } from '@mixroom/shared/model';
import { addTrack } from '@mixroom/shared/ops';
import { createOrigin } from '@mixroom/shared/protocol';
import { UNDO_CAPTURE_MS } from '../mix/sync/RoomSession.ts';
import { createLaneEditActions } from './createLaneEditActions.ts';
import { manualClock } from './manualClock.testkit.ts';

const setup = createOrigin('server', 'test-setup');
const VOX = { scope: 'track', id: 'vox' } as const;

/** Two peers on an in-memory network, each with its own origin and UndoManager (like RoomSession). */
function room() {
  const server = new Y.Doc();
  initMixDoc(server, { title: 'u', sampleRate: 48000, reverbBusId: 'rev', delayBusId: 'dly' });
  addTrack(server, { id: 'vox', name: 'Vox', stem: null }, setup);
  const peer = (user: string) => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(server));
    const origin = createOrigin('local-user', user);
    const undo = new Y.UndoManager(getMixRoot(doc), { trackedOrigins: new Set([origin]), captureTimeout: UNDO_CAPTURE_MS });
    const clock = manualClock();
    const errors: unknown[] = [];
    const edits = createLaneEditActions({ doc, origin, undo, onError: (e) => errors.push(e), scheduler: clock });
    const lane = () => (lanesOf(readMixState(doc), 'track', 'vox')['gain']?.points ?? []).map((p) => [p.time, p.value, p.curve]);
    return { doc, undo, clock, edits, lane, errors };
  };
  const A = peer('ana');
  const B = peer('ben');
  A.doc.on('update', (u: Uint8Array, o: unknown) => o !== 'net' && Y.applyUpdate(B.doc, u, 'net'));
  B.doc.on('update', (u: Uint8Array, o: unknown) => o !== 'net' && Y.applyUpdate(A.doc, u, 'net'));
  return { A, B };
}

describe('lane edits', () => {
  it('undo takes back only my own points, on both peers', () => {
    const { A, B } = room();
    A.edits.add(VOX, 'gain', { time: 1, value: -6, curve: 'linear' });
    B.edits.add(VOX, 'gain', { time: 2, value: -3, curve: 'linear' });
    A.edits.add(VOX, 'gain', { time: 3, value: 0, curve: 'step' });
    A.undo.undo();
    A.undo.undo();
    expect(B.lane()).toEqual([[2, -3, 'linear']]);
    expect(A.lane()).toEqual(B.lane());
    expect(A.undo.canUndo()).toBe(false);
  });

  it('a drag streams at most ~10 writes a second, lands where released, and undoes as one step', () => {
    const { A, B } = room();
    const id = A.edits.add(VOX, 'gain', { time: 1, value: -6, curve: 'linear' })!;
    const drag = A.edits.drag(VOX, 'gain');
    let seenByB = 0;
    B.doc.on('update', () => seenByB++);
    for (let i = 1; i <= 60; i++) {
      A.clock.advance(16);
      drag.update([{ id, time: 1 + i * 0.02, value: -6 + i * 0.1 }]);
    }
    // B saw the point move while it was dragged, ~10 times a second (not 60).
    expect(seenByB).toBeGreaterThanOrEqual(8);
    expect(seenByB).toBeLessThanOrEqual(12);
    drag.end();
    expect(B.lane()).toEqual([[2.2, 0, 'linear']]);
    A.undo.undo();
    expect(B.lane()).toEqual([[1, -6, 'linear']]);
  });

  it("shows a refusal (a point a peer removed) and never throws", () => {
    const { A, B } = room();
    const id = A.edits.add(VOX, 'gain', { time: 1, value: -6, curve: 'linear' })!;
    B.edits.remove(VOX, 'gain', [id]);
    A.edits.nudge(VOX, 'gain', [{ id, time: 1.5, value: -6 }]);
    expect(A.errors).toHaveLength(1);
    expect(A.lane()).toEqual([]);
    expect(A.edits.add(VOX, 'nope', { time: 1, value: 0, curve: 'linear' })).toBeNull();
    expect(A.errors).toHaveLength(2);
  });
});
