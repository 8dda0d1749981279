import { bool, num, oneOf } from './ParamSpec.ts';

// The parameter table every strip shares (tracks and buses spread it into theirs): pure
// data, no yjs, so the dsp kernels and the AudioWorklet bundle can read it. The strip's
// document layer is StripRecord.ts.

/**
 * How a strip's pan treats a stereo input (a mono input always gets the spec's mono
 * equal-power law, cos/sin((pan + 1)·π/4)):
 * - 'balance': a balance control. The side the pan points to stays at unity; the other side
 *   is attenuated by the spec's gain for it (pan ≤ 0: R·sin((pan + 1)·π/2); pan > 0:
 *   L·cos(pan·π/2)) and is NOT folded into the kept side, so panning never raises the level.
 * - 'webaudio': the Web Audio StereoPannerNode's stereo law, which folds the attenuated side
 *   into the kept one (pan ≤ 0: L + R·cos((pan + 1)·π/2)): hard left on equal channels is
 *   +6 dB in peak and +3 LU. Strips made before schema v3 keep it until their owner switches.
 */
export const PAN_LAWS = ['balance', 'webaudio'] as const;
export type PanLaw = (typeof PAN_LAWS)[number];

/** The fader section of every strip, in storage order. */
export const STRIP_FADER_SPEC = {
  /**
   * Channel fader. The floor is treated as silence by the plan (-100 dB is 1e-5 of full
   * scale, inaudible): -Infinity cannot survive JSON snapshots.
   */
  gain: num('dB', -100, 12, 0, { law: 'fader' }),
  mute: bool(false),
  solo: bool(false),
  soloSafe: bool(false),
  /** -1 hard left .. +1 hard right; see {@link PanLaw}. */
  pan: num('pan', -1, 1, 0),
  /** How `pan` treats a stereo input; strips made before schema v3 keep the Web Audio law. */
  panLaw: oneOf(PAN_LAWS, 'balance', { since: 3, legacy: 'webaudio' }),
} as const;
