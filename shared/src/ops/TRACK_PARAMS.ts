import { EQ_BAND_TYPES, PAN_LAWS } from '../model/MixState.ts';
import { MIX_RANGES as R } from '../model/mixRanges.ts';
import { booleanParam, enumParam, numberParam, type ParamValueOf } from './ParamSpec.ts';

const band = {
  on: booleanParam,
  type: enumParam(EQ_BAND_TYPES),
  freq: numberParam(R.eqFreq),
  gain: numberParam(R.eqGain),
  q: numberParam(R.eqQ),
} as const;

const pass = { on: booleanParam, freq: numberParam(R.filterFreq), q: numberParam(R.filterQ) } as const;

type Prefixed<P extends string, T> = { [K in keyof T & string as `${P}.${K}`]: T[K] };
function prefixed<P extends string, T extends object>(prefix: P, specs: T): Prefixed<P, T> {
  return Object.fromEntries(Object.entries(specs).map(([k, v]) => [`${prefix}.${k}`, v])) as Prefixed<P, T>;
}

/**
 * Every scalar parameter of a track strip, by dotted path into the track's Y.Map (the path
 * IS the storage location: 'eq.bands.2.freq' is tracks[id].eq.bands['2'].freq). Routing
 * (output, sends, sidechain) has its own ops because it names other objects.
 */
export const TRACK_PARAMS = {
  trim: numberParam(R.trim),
  polarity: booleanParam,
  gain: numberParam(R.fader),
  mute: booleanParam,
  solo: booleanParam,
  soloSafe: booleanParam,
  pan: numberParam(R.pan),
  panLaw: enumParam(PAN_LAWS),
  ...prefixed('eq.hpf', pass),
  ...prefixed('eq.lpf', pass),
  ...prefixed('eq.bands.0', band),
  ...prefixed('eq.bands.1', band),
  ...prefixed('eq.bands.2', band),
  ...prefixed('eq.bands.3', band),
  'comp.on': booleanParam,
  'comp.threshold': numberParam(R.compThreshold),
  'comp.ratio': numberParam(R.compRatio),
  'comp.attack': numberParam(R.compAttack),
  'comp.release': numberParam(R.compRelease),
  'comp.knee': numberParam(R.compKnee),
  'comp.makeup': numberParam(R.compMakeup),
  'sat.on': booleanParam,
  'sat.drive': numberParam(R.satDrive),
  'sat.mix': numberParam(R.satMix),
} as const;

export type TrackParam = keyof typeof TRACK_PARAMS;
export type TrackParamValue<P extends TrackParam> = ParamValueOf<(typeof TRACK_PARAMS)[P]>;
