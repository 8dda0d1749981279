import * as Y from 'yjs';
import { MIX_ROOT } from '../../model/mixDocShape.ts';

/**
 * Deletes the live items `type` holds as a sequence (what a Y.Array, Y.Text or XML type
 * holds). No map of the mix holds any; a client that defined one of its names as an array, or
 * a hand-made update, can put some there, where no read sees them. @returns how many.
 */
export function emptySequence(type: Y.AbstractType<any>): number {
  if (type._start === null) return 0;
  let deleted = 0;
  // Joins the caller's transaction (repairCaps runs inside its own).
  type.doc!.transact((tr) => {
    for (let item = type._start; item !== null; item = item.right) {
      if (item.deleted) continue;
      item.delete(tr);
      deleted += 1;
    }
  });
  return deleted;
}

/**
 * Empties every top-level type of the document other than the mix root, and the root's
 * sequence part. A client may define any top-level type (`doc.getMap('x')`, `getArray`,
 * `getText`) and fill it: every peer that merges the update holds it too, unbounded but for
 * MAX_ROOM_BYTES. Yjs cannot remove a top-level type from a Y.Doc, so each is emptied: its
 * items are deleted (what stays is their tombstones: ids, and the type's and keys' names).
 * Works on a type no peer has typed (an update makes a plain AbstractType), through the items
 * themselves. Delete-only, so peers converge. @returns how many items it deleted.
 */
export function emptyForeignTypes(doc: Y.Doc): number {
  let deleted = 0;
  for (const [name, type] of doc.share) {
    deleted += emptySequence(type);
    if (name === MIX_ROOT) continue;
    doc.transact((tr) => {
      for (const item of type._map.values()) {
        if (item.deleted) continue;
        item.delete(tr);
        deleted += 1;
      }
    });
  }
  return deleted;
}
