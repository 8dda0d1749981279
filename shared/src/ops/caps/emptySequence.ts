import * as Y from 'yjs';

/**
 * Deletes the live items `type` holds as a sequence (what a Y.Array, Y.Text or XML type
 * holds). No map of the mix holds any; a client that defined the root's name as an array
 * (`doc.getArray('mix')` before it synced), or a hand-made update, can put some there, where
 * no read sees them, unbounded but for MAX_ROOM_BYTES. Works on a type no peer has typed (an
 * update makes a plain AbstractType), through the items themselves. @returns how many.
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
