import { z } from 'zod';
import { actorSchema } from './Actor.ts';
import { CONTENT_HASH_PATTERN } from './contentHash.ts';
import { deliverableWarningSchema } from './DeliverableCheck.ts';
import { RENDER_FORMATS } from './RenderFormat.ts';

export const APPROVAL_ACTIONS = ['approve', 'revoke'] as const;
export type ApprovalAction = (typeof APPROVAL_ACTIONS)[number];

/**
 * One entry of a room's approval history. Appended by the server, never edited: approving
 * again or revoking adds an entry. It names exactly what was approved: the version's
 * snapshot hash and the reference render's file hash.
 */
export const approvalRecordSchema = z.object({
  id: z.string(),
  action: z.enum(APPROVAL_ACTIONS),
  versionId: z.string(),
  versionNumber: z.number().int().min(1),
  versionHash: z.string().regex(CONTENT_HASH_PATTERN),
  renderFormat: z.enum(RENDER_FORMATS),
  renderHash: z.string().regex(CONTENT_HASH_PATTERN),
  by: actorSchema,
  at: z.number(),
  note: z.string(),
  /** The deliverable's problems when it was approved (clipping, peaks over the ceiling), as the approver was shown them. */
  warnings: z.array(deliverableWarningSchema).default([]),
});
export type ApprovalRecord = z.infer<typeof approvalRecordSchema>;

/** Current approval of one version: its latest history entry, if it is an approval. */
export function approvalOf(history: readonly ApprovalRecord[], versionId: string): ApprovalRecord | null {
  for (let i = history.length - 1; i >= 0; i--) {
    const entry = history[i] as ApprovalRecord;
    if (entry.versionId === versionId) return entry.action === 'approve' ? entry : null;
  }
  return null;
}

/** The room's approved version: the most recent approval whose version is still approved. */
export function currentApproval(history: readonly ApprovalRecord[]): ApprovalRecord | null {
  for (let i = history.length - 1; i >= 0; i--) {
    const entry = history[i] as ApprovalRecord;
    if (entry.action === 'approve' && approvalOf(history, entry.versionId) === entry) return entry;
  }
  return null;
}
