import type * as Y from 'yjs';
import type { Id } from '../model/MixState.ts';
import type { TransactionOrigin } from '../protocol/TransactionOrigin.ts';
import type { TrackParam, TrackParamValue } from './TRACK_PARAMS.ts';
import { setParam } from './setParam.ts';

export interface SetTrackParamArgs<P extends TrackParam> {
  trackId: Id;
  /** Dotted path, e.g. 'gain', 'pan', 'eq.bands.2.freq', 'eq.bands.0.type', 'comp.threshold'. */
  param: P;
  value: TrackParamValue<P>;
}

/**
 * Sets one strip parameter of a track (trim, polarity, fader, mute, solo, solo-safe, pan,
 * EQ filters and bands, compressor, saturation). Numbers are clamped to their range; NaN,
 * Infinity, wrong types, unknown params and unknown tracks throw MixOpError.
 */
export function setTrackParam<P extends TrackParam>(doc: Y.Doc, args: SetTrackParamArgs<P>, origin: TransactionOrigin): void {
  setParam(doc, { kind: 'track', trackId: args.trackId, param: args.param }, args.value, origin);
}
