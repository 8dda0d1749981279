import type * as Y from 'yjs';
import type { Id } from '../model/MixState.ts';
import { TRACK_PARAMS, type TrackParam, type TrackParamValue } from './TRACK_PARAMS.ts';
import { requireTrackMap } from './requireMixMaps.ts';
import { checkParam, writeParam } from './writeParam.ts';

export interface SetTrackParamArgs<P extends TrackParam> {
  trackId: Id;
  /** Dotted path, e.g. 'gain', 'pan', 'eq.bands.2.freq', 'eq.bands.0.type', 'comp.threshold'. */
  param: P;
  value: TrackParamValue<P>;
}

/**
 * Sets one strip parameter of a track (trim, polarity, fader, mute, solo, solo-safe, pan,
 * EQ filters and bands, compressor, saturation). Numbers are clamped to MIX_RANGES; NaN,
 * Infinity, wrong types, unknown params and unknown tracks throw MixOpError.
 */
export function setTrackParam<P extends TrackParam>(doc: Y.Doc, args: SetTrackParamArgs<P>, origin: unknown): void {
  const map = requireTrackMap(doc, args.trackId);
  checkParam(TRACK_PARAMS, args.param, args.value, 'Track');
  doc.transact(() => writeParam(map, TRACK_PARAMS, args.param, args.value, 'Track'), origin);
}
