import * as Y from 'yjs';
import { getMixRoot } from '@mixroom/shared/model';
import { createOrigin, type TransactionOrigin } from '@mixroom/shared/protocol';
import type { PresenceUser } from './PresenceState.ts';
import { RoomConnection } from './RoomConnection.ts';
import { UndoHistory } from './UndoHistory.ts';

export interface RoomSessionOptions {
  roomId: string;
  user: PresenceUser;
  /** Base of the sync endpoint, e.g. `ws://host/sync`. */
  syncUrl: string;
  params?: Record<string, string>;
}

/**
 * Merges a drag's throttled commits (100 ms apart) and keyboard nudges on one control made
 * less than a second apart into one undo step. Every other edit stops capturing before and
 * after itself, so nothing else merges.
 */
export const UNDO_CAPTURE_MS = 1000;

/**
 * One user's live session in a room: the mix document, its connection, this user's
 * transaction origin and the UndoManager that tracks only that origin, so undo never
 * reverts someone else's change.
 */
export class RoomSession {
  readonly doc = new Y.Doc();
  readonly connection: RoomConnection;
  readonly origin: TransactionOrigin;
  readonly undo: Y.UndoManager;
  /** This user's undo and redo steps, described. */
  readonly history: UndoHistory;

  constructor(readonly options: RoomSessionOptions) {
    this.origin = createOrigin('local-user', options.user.id);
    this.undo = new Y.UndoManager(getMixRoot(this.doc), {
      trackedOrigins: new Set([this.origin]),
      captureTimeout: UNDO_CAPTURE_MS,
    });
    this.history = new UndoHistory(this.doc, this.undo, this.origin);
    this.connection = new RoomConnection({
      syncUrl: options.syncUrl,
      roomId: options.roomId,
      doc: this.doc,
      user: options.user,
      ...(options.params ? { params: options.params } : {}),
    });
  }

  destroy(): void {
    this.history.destroy();
    this.undo.destroy();
    this.connection.destroy();
    this.doc.destroy();
  }
}
