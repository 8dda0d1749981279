import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { getMixRoot, initMixDoc } from '@mixroom/shared/model';
import { addTrack } from '@mixroom/shared/ops';
import { createOrigin, type TransactionOrigin } from '@mixroom/shared/protocol';
import { UNDO_CAPTURE_MS } from '../sync/RoomSession.ts';
import { createMixActions } from './createMixActions.ts';
import type { MixActions } from './MixActions.ts';

/** Whoever builds the test's mix (no UndoManager tracks it). */
const setup = createOrigin('server', 'test-setup');

export interface UndoPeer {
  origin: TransactionOrigin;
  actions: MixActions;
  undo: Y.UndoManager;
}

/** A peer wired like RoomSession: its own origin, and an UndoManager tracking only it. */
export function undoPeer(doc: Y.Doc, user: string): UndoPeer {
  const origin = createOrigin('local-user', user);
  const undo = new Y.UndoManager(getMixRoot(doc), { trackedOrigins: new Set([origin]), captureTimeout: UNDO_CAPTURE_MS });
  const actions = createMixActions({
    doc,
    origin,
    undo,
    awareness: new Awareness(doc),
    setTouching: () => undefined,
    onError: (e) => {
      throw e;
    },
  });
  return { origin, actions, undo };
}

/**
 * Two people (ana on `a`, ben on `b`) on one mix with the given tracks, every update
 * relayed between their documents at once (an in-memory network).
 */
export function twoPeerMix(tracks: ReadonlyArray<{ id: string; name: string }>) {
  const server = new Y.Doc();
  initMixDoc(server, { title: 'u', sampleRate: 48000, reverbBusId: 'rev', delayBusId: 'dly' });
  for (const t of tracks) addTrack(server, { ...t, stem: null }, setup);
  const a = new Y.Doc();
  const b = new Y.Doc();
  Y.applyUpdate(a, Y.encodeStateAsUpdate(server));
  Y.applyUpdate(b, Y.encodeStateAsUpdate(server));
  a.on('update', (u: Uint8Array, origin: unknown) => origin !== 'net' && Y.applyUpdate(b, u, 'net'));
  b.on('update', (u: Uint8Array, origin: unknown) => origin !== 'net' && Y.applyUpdate(a, u, 'net'));
  return { a, b, A: undoPeer(a, 'ana'), B: undoPeer(b, 'ben') };
}
