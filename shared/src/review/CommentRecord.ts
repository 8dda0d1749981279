import { z } from 'zod';
import { actorSchema } from './Actor.ts';
import { mixChangeSchema, SUGGESTION_LANE_POINTS_MAX } from './MixChange.ts';

/** Longest comment or reply text. */
export const COMMENT_TEXT_MAX = 2000;
/** Most parameter changes a comment's mix suggestion may carry. */
export const SUGGESTION_CHANGES_MAX = 64;
/** Most comments one room holds (a busy review of a song has about a hundred). */
export const COMMENTS_PER_ROOM_MAX = 2000;
/** Most replies one comment's thread holds. */
export const REPLIES_PER_COMMENT_MAX = 200;

export const commentTextSchema = z.string().trim().min(1, 'A comment needs text').max(COMMENT_TEXT_MAX);

/** A reply in a comment thread. */
export const replyRecordSchema = z.object({
  id: z.string(),
  author: actorSchema,
  createdAt: z.number(),
  text: z.string(),
});
export type ReplyRecord = z.infer<typeof replyRecordSchema>;

/**
 * A reply as stored since replies became entries of their own (the review doc's `replies`
 * map, keyed by reply id): writing one no longer rewrites its comment with every earlier
 * reply, which made a thread's log grow with the square of its replies.
 */
export const storedReplySchema = replyRecordSchema.extend({ commentId: z.string() });
export type StoredReply = z.infer<typeof storedReplySchema>;

/**
 * A mix suggestion carried by a comment ("vocal -2 dB here"): parameter changes from the
 * mix the commenter heard to the mix they propose. An editor applies it with one click
 * (`applyMixChanges` then `applyMixState`).
 */
export const mixSuggestionSchema = z.object({
  changes: z
    .array(mixChangeSchema)
    .min(1)
    .max(SUGGESTION_CHANGES_MAX)
    .refine((changes) => changes.reduce((n, c) => n + (c.lane?.points.length ?? 0), 0) <= SUGGESTION_LANE_POINTS_MAX, {
      message: `A suggestion carries at most ${SUGGESTION_LANE_POINTS_MAX} automation points`,
    }),
});
export type MixSuggestion = z.infer<typeof mixSuggestionSchema>;

/**
 * A timestamped comment: a marker at `at` seconds on the timeline, or a range `at..end`.
 * Written only by the server; `author` comes from the session, never from the request.
 * `versionId` says which version the commenter was hearing (null = the live mix).
 */
export const commentRecordSchema = z.object({
  id: z.string(),
  at: z.number().min(0),
  end: z.number().min(0).nullable(),
  text: z.string(),
  author: actorSchema,
  createdAt: z.number(),
  updatedAt: z.number(),
  versionId: z.string().nullable(),
  resolved: z.boolean(),
  resolvedBy: actorSchema.nullable(),
  resolvedAt: z.number().nullable(),
  replies: z.array(replyRecordSchema),
  suggestion: mixSuggestionSchema.nullable(),
});
export type CommentRecord = z.infer<typeof commentRecordSchema>;
