import * as Y from 'yjs';
import { AUTOMATION_KEY } from '../../model/AutomationRecord.ts';

/**
 * Deletes every stored point of the lane at `path` on a strip's Y.Map (see
 * AutomationRecord.ts): the points this peer sees, so a point a peer inserts concurrently
 * survives the merge. Must run inside a transaction. @returns how many were deleted.
 */
export function deleteLanePoints(strip: Y.Map<unknown>, path: string): number {
  const automation = strip.get(AUTOMATION_KEY);
  if (!(automation instanceof Y.Map)) return 0;
  const ids: string[] = [];
  for (const [id, p] of automation.entries()) {
    if (typeof p === 'object' && p !== null && (p as { param?: unknown }).param === path) ids.push(id);
  }
  for (const id of ids) automation.delete(id);
  return ids.length;
}
