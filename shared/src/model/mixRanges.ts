import { DELAY_SPEC, REVERB_SPEC } from './BusSpec.ts';
import { MASTER_SPEC } from './MasterSpec.ts';
import type { NumberRange } from './ParamSpec.ts';
import { SEND_SPEC } from './SendSpec.ts';
import { SESSION_SPEC } from './SessionRecord.ts';
import { TRACK_SPEC } from './TrackSpec.ts';

export { clampToRange, type NumberRange } from './ParamSpec.ts';
export { COLOR_PATTERN, MAX_NAME_LENGTH } from './StripRecord.ts';
export { MAX_TITLE_LENGTH } from './SessionRecord.ts';

const eq = TRACK_SPEC.eq.params;
const band = eq.bands.items[0].params;
const comp = TRACK_SPEC.comp.params;
const glue = MASTER_SPEC.glue.params;

/**
 * Every numeric mix parameter's range by a short name, read from the records' parameter
 * tables (the tables are the source; this is an index for code that wants a range by name).
 */
export const MIX_RANGES = {
  trim: TRACK_SPEC.trim.range,
  fader: TRACK_SPEC.gain.range,
  pan: TRACK_SPEC.pan.range,
  filterFreq: eq.hpf.params.freq.range,
  filterQ: eq.hpf.params.q.range,
  eqFreq: band.freq.range,
  eqGain: band.gain.range,
  eqQ: band.q.range,
  compThreshold: comp.threshold.range,
  compRatio: comp.ratio.range,
  compAttack: comp.attack.range,
  compRelease: comp.release.range,
  compKnee: comp.knee.range,
  compMakeup: comp.makeup.range,
  satDrive: TRACK_SPEC.sat.params.drive.range,
  satMix: TRACK_SPEC.sat.params.mix.range,
  gateThreshold: TRACK_SPEC.gate.params.threshold.range,
  gateRange: TRACK_SPEC.gate.params.range.range,
  gateRatio: TRACK_SPEC.gate.params.ratio.range,
  gateAttack: TRACK_SPEC.gate.params.attack.range,
  gateHold: TRACK_SPEC.gate.params.hold.range,
  gateRelease: TRACK_SPEC.gate.params.release.range,
  gateHysteresis: TRACK_SPEC.gate.params.hysteresis.range,
  gateScHpf: TRACK_SPEC.gate.params.scHpf.range,
  sendLevel: SEND_SPEC.level.range,
  reverbDecay: REVERB_SPEC.decay.range,
  reverbPreDelay: REVERB_SPEC.preDelay.range,
  effectDamping: REVERB_SPEC.damping.range,
  delayTime: DELAY_SPEC.time.range,
  delayFeedback: DELAY_SPEC.feedback.range,
  glueThreshold: glue.threshold.range,
  glueRatio: glue.ratio.range,
  glueAttack: glue.attack.range,
  glueRelease: glue.release.range,
  glueKnee: glue.knee.range,
  glueMakeup: glue.makeup.range,
  limiterCeiling: MASTER_SPEC.limiter.params.ceiling.range,
  limiterRelease: MASTER_SPEC.limiter.params.release.range,
  tempo: SESSION_SPEC.tempo.range,
  sampleRate: SESSION_SPEC.sampleRate.range,
} as const satisfies Record<string, NumberRange>;

export type MixRangeName = keyof typeof MIX_RANGES;
