/**
 * The automation of one engine parameter as AudioParam events, in song seconds and in the
 * unit the realising node takes (linear gain, Hz, dB of a biquad, pan). Both engines play
 * exactly this list: the browser calls `setValueAtTime` / `linearRampToValueAtTime` with
 * it (shifted to context time), the bake evaluates it per sample the way Chromium's
 * AudioParam timeline does ({@link fillScheduleValues}). Built from a model lane by
 * {@link laneSchedule} (and {@link mapSchedule} for a unit the lane is not linear in).
 *
 * - Events are sorted by strictly increasing `time`; the first is at time 0.
 * - `ramp: false` is `setValueAtTime(value, time)`: the value holds from the first frame at
 *   or after `time`. Jumps sit half a frame before their frame, so no rounding of song or
 *   context time can move them by a frame.
 * - `ramp: true` is `linearRampToValueAtTime(value, time)`: a straight line from the
 *   previous event's (time, value) to this one.
 * - After the last event its value holds.
 */
export interface ParamEvent {
  readonly time: number;
  readonly value: number;
  readonly ramp: boolean;
}

export type ParamSchedule = readonly ParamEvent[];

/**
 * Largest error a dense approximation (a dB fader lane, linear in dB, played as straight
 * segments of linear gain) may have against the exact curve, in full-scale units: -100 dB.
 */
export const SCHEDULE_TOLERANCE = 1e-5;

/**
 * Events one parameter's schedule holds at most. A lane of MAX_POINTS_PER_LANE points each
 * sweeping the whole fader would need millions; beyond this the segments get coarser
 * (deterministically, so both engines still play the same list).
 */
export const MAX_SCHEDULE_EVENTS = 65536;
