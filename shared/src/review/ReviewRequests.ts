import { z } from 'zod';
import { ROLES } from '../protocol/Role.ts';
import { displayNameSchema } from './Actor.ts';
import { APPROVAL_ACTIONS } from './ApprovalRecord.ts';
import { commentTextSchema, mixSuggestionSchema } from './CommentRecord.ts';
import { VERSION_NAME_MAX, VERSION_NOTE_MAX } from './VersionRecord.ts';

/** Longest timeline position accepted (24 h): beyond any session, below float trouble. */
export const TIMELINE_MAX_SECONDS = 86_400;

const seconds = z.number().finite().min(0).max(TIMELINE_MAX_SECONDS);

/** POST /api/rooms: create a room; the creator becomes its owner. */
export const createRoomBody = z.object({
  title: z.string().trim().min(1, 'Give the room a title').max(120),
  displayName: displayNameSchema,
});

/**
 * How many people one invite link admits: `single` (the default) is used up by the first
 * person who joins (they may reopen it), `multi` admits anyone who has it until it expires.
 */
export const INVITE_USES = ['single', 'multi'] as const;
export type InviteUses = (typeof INVITE_USES)[number];

/** POST /api/rooms/:room/invites: an owner makes an invite link for one role. */
export const createInviteBody = z.object({
  role: z.enum(ROLES).exclude(['owner']),
  /** Lifetime of the link; 1 hour to 30 days, default 7 days. */
  ttlHours: z.number().int().min(1).max(24 * 30).default(24 * 7),
  uses: z.enum(INVITE_USES).default('single'),
});

/** PATCH /api/rooms/:room/members/:user: the owner changes a member's role. */
export const memberRoleBody = z.object({ role: z.enum(ROLES).exclude(['owner']) });

/** POST /join/:token or /api/invites/:token/join: accept an invite under a display name. */
export const joinBody = z.object({ displayName: displayNameSchema });

/** POST /api/rooms/:room/join: join an open (demo) room, choosing a non-owner role. */
export const joinOpenRoomBody = z.object({
  displayName: displayNameSchema,
  role: z.enum(ROLES).exclude(['owner']),
});

/** POST /api/rooms/:room/comments */
export const createCommentBody = z
  .object({
    at: seconds,
    end: seconds.nullable().default(null),
    text: commentTextSchema,
    versionId: z.string().max(64).nullable().default(null),
    suggestion: mixSuggestionSchema.nullable().default(null),
  })
  .refine((body) => body.end === null || body.end > body.at, { message: 'A range must end after it starts', path: ['end'] });

/** POST /api/rooms/:room/comments/:id/replies */
export const createReplyBody = z.object({ text: commentTextSchema });

/** PATCH /api/rooms/:room/comments/:id */
export const updateCommentBody = z
  .object({ resolved: z.boolean().optional(), text: commentTextSchema.optional() })
  .refine((body) => body.resolved !== undefined || body.text !== undefined, { message: 'Nothing to change' });

/** POST /api/rooms/:room/versions */
export const createVersionBody = z.object({
  name: z.string().trim().min(1, 'Name the version').max(VERSION_NAME_MAX),
  note: z.string().trim().max(VERSION_NOTE_MAX).default(''),
});

/** POST /api/rooms/:room/versions/:id/approvals */
export const approvalBody = z.object({
  action: z.enum(APPROVAL_ACTIONS).default('approve'),
  note: z.string().trim().max(500).default(''),
  /** Approving a version whose files clip or exceed their ceiling needs this, after the warning was shown. */
  acknowledgeWarnings: z.boolean().default(false),
});
