/**
 * What the UI says when the server refused an edit because the room is full: the change stays
 * only in this tab, and deleting tracks is what frees space (deletions are always accepted).
 */
export function roomFullMessage(limitMiB: number): string {
  return `this room has reached its size limit (${limitMiB} MiB); your last change was not saved. Reload, then delete unused tracks to free space`;
}
