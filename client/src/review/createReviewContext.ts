import type * as Y from 'yjs';
import { getMixRoot, readMixState } from '@mixroom/shared/model';
import type { Role, TransactionOrigin } from '@mixroom/shared/protocol';
import { AbSwitch } from './AbSwitch.ts';
import { ReviewClient } from './ReviewClient.ts';
import type { ReviewContext } from './ReviewContext.ts';
import { ReviewView } from './ReviewView.ts';
import { ReviewUnread, type SeenStore } from './ReviewUnread.ts';

/**
 * Builds the review side of a room (call once in main.ts, after joining):
 *
 * ```ts
 * const reviewCtx = createReviewContext({ roomId, syncUrl, role: member.role, mixDoc: session.doc,
 *   origin: session.origin, playhead: () => transport.position(), seek: (t) => transport.seek(t) });
 * services.markers = { markers: () => reviewCtx.review.markers(), onChange: (l) => reviewCtx.review.onChange(l) };
 * // in bindEngine: play reviewCtx.ab.stateOverride() ?? readMixState(doc), monitor gain + reviewCtx.ab.gainDb()
 * ```
 * and render `<mr-review-panel .ctx=${ctx}>` and `<mr-approval-badge .review=${ctx.review}>`.
 */
export function createReviewContext(options: {
  roomId: string;
  syncUrl: string;
  role: Role;
  mixDoc: Y.Doc;
  origin: TransactionOrigin;
  playhead: () => number;
  seek: (seconds: number) => void;
  loop: () => { start: number; end: number } | null;
  /** Who is reading (the server's identity): unread marks are theirs. */
  me: { id: string; name: string };
  /** Where the unread marks are kept between visits (localStorage). */
  seenStore: SeenStore;
}): ReviewContext & { destroy(): void } {
  const review = new ReviewClient({ roomId: options.roomId, syncUrl: options.syncUrl });
  const mixRoot = getMixRoot(options.mixDoc);
  const ab = new AbSwitch(review, () => readMixState(options.mixDoc), (listener) => {
    mixRoot.observeDeep(listener);
    return () => mixRoot.unobserveDeep(listener);
  });
  return {
    review,
    ab,
    view: new ReviewView(),
    unread: new ReviewUnread(() => review.snapshot(), options.me, options.seenStore, `mixroom.seen.${options.roomId}.${options.me.id}`),
    role: options.role,
    mixDoc: options.mixDoc,
    origin: options.origin,
    playhead: options.playhead,
    seek: options.seek,
    loop: options.loop,
    destroy: () => {
      ab.dispose();
      review.destroy();
    },
  };
}
