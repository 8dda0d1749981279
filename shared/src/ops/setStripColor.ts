import type { TransactionOrigin } from '../protocol/TransactionOrigin.ts';
import type * as Y from 'yjs';
import type { Id } from '../model/MixState.ts';
import { COLOR_PATTERN } from '../model/mixRanges.ts';
import { MixOpError } from './MixOpError.ts';
import { requireStripMap } from './requireMixMaps.ts';

/** Sets the color of a track or bus (`#rrggbb`, lower case). */
export function setStripColor(doc: Y.Doc, args: { id: Id; color: string }, origin: TransactionOrigin): void {
  const { map } = requireStripMap(doc, args.id);
  const color = typeof args.color === 'string' ? args.color.toLowerCase() : args.color;
  if (typeof color !== 'string' || !COLOR_PATTERN.test(color)) throw new MixOpError('invalid-value', 'Color must be #rrggbb');
  doc.transact(() => {
    if (map.get('color') !== color) map.set('color', color);
  }, origin);
}
