import { flattenParams } from '../model/ParamTable.ts';
import { TRACK_SPEC } from '../model/TrackSpec.ts';
import type { ParamValueOf } from './ParamSpec.ts';

/**
 * Every scalar parameter of a track strip, by dotted path into the track's Y.Map (the path
 * IS the storage location: 'eq.bands.2.freq' is tracks[id].eq.bands['2'].freq), flattened
 * from the track record's table. Routing (output, sends, sidechain) has its own ops because
 * it names other objects.
 */
export const TRACK_PARAMS = flattenParams(TRACK_SPEC);

export type TrackParam = keyof typeof TRACK_PARAMS;
export type TrackParamValue<P extends TrackParam> = ParamValueOf<(typeof TRACK_PARAMS)[P]>;
