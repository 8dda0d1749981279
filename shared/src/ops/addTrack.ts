import type { TransactionOrigin } from '../protocol/TransactionOrigin.ts';
import * as Y from 'yjs';
import type { Id, StemRef } from '../model/MixState.ts';
import { createId, isValidId } from '../model/createId.ts';
import { defaultTrack } from '../model/mixDefaults.ts';
import { trackToDocShape } from '../model/mixDocShape.ts';
import { COLOR_PATTERN } from '../model/mixRanges.ts';
import { MIX_CAPS } from '../model/MIX_CAPS.ts';
import { syncYMap } from '../model/syncYMap.ts';
import { MixOpError } from './MixOpError.ts';
import { checkName } from './checkName.ts';
import { checkStemRef } from './checkStemRef.ts';
import { nextOrder } from './nextOrder.ts';
import { requireBusesMap, requireTracksMap } from './requireMixMaps.ts';

export interface AddTrackArgs {
  /** Shown on the strip; trimmed, 1..100 characters. */
  name: string;
  /** The decoded stem it plays, or null for an empty track. */
  stem: StemRef | null;
  /** Fixed id (tests, server replays); a fresh random id otherwise. */
  id?: Id;
  /** `#rrggbb`; picked from the palette otherwise. */
  color?: string;
}

/**
 * Adds a neutral track (unity gain, flat EQ, processors off, centred, to master) after the
 * last one. The stems upload code on the server calls it once a stem is decoded.
 * @returns the new track's id.
 */
export function addTrack(doc: Y.Doc, args: AddTrackArgs, origin: TransactionOrigin): Id {
  const name = checkName(args.name, 'Track name');
  const stem = checkStemRef(args.stem);
  const id = args.id ?? createId();
  if (!isValidId(id)) throw new MixOpError('invalid-value', 'Track id must be 1..64 letters, digits, _ or - (and not "master")');
  if (args.color !== undefined && !COLOR_PATTERN.test(args.color)) throw new MixOpError('invalid-value', 'Color must be #rrggbb');
  const tracks = requireTracksMap(doc);
  if (tracks.size >= MIX_CAPS.tracks) throw new MixOpError('too-many-strips', `A mix holds at most ${MIX_CAPS.tracks} tracks`);
  if (tracks.has(id) || requireBusesMap(doc).has(id)) throw new MixOpError('invalid-value', `Id ${id} is already used`);
  doc.transact(() => {
    const order = nextOrder(tracks);
    const state = defaultTrack(id, name, stem, order);
    if (args.color !== undefined) state.color = args.color;
    const map = new Y.Map<unknown>();
    tracks.set(id, map);
    syncYMap(map, trackToDocShape(state));
  }, origin);
  return id;
}
