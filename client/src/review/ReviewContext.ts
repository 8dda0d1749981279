import type * as Y from 'yjs';
import type { Role, TransactionOrigin } from '@mixroom/shared/protocol';
import type { AbSwitch } from './AbSwitch.ts';
import type { ReviewClient } from './ReviewClient.ts';
import type { ReviewView } from './ReviewView.ts';
import type { ReviewUnread } from './ReviewUnread.ts';

/**
 * What the review elements need from the room, handed over as one property. The room view
 * (or main.ts) builds it once; elements never construct infrastructure.
 */
export interface ReviewContext {
  review: ReviewClient;
  ab: AbSwitch;
  /** The drawer's state: open, tab, the comment being written. */
  view: ReviewView;
  /** What this person has not seen yet (the count on the Review button, notices). */
  unread: ReviewUnread;
  role: Role;
  /** The live mix document and this user's origin: restores and suggestions are written
   *  with it, so they are one undoable change of this user's, seen by everyone. */
  mixDoc: Y.Doc;
  origin: TransactionOrigin;
  /** Current playhead (seconds). */
  playhead(): number;
  /** Moves the playhead. */
  seek(seconds: number): void;
  /** The loop range set on the transport (Shift+C comments on it), or null. */
  loop(): { start: number; end: number } | null;
}
