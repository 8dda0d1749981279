import { PARAM_RAMP_SECONDS } from '@mixroom/shared/dsp';
import type { IAudioParam } from 'standardized-audio-context';

/** Params that already carry automation events (after their first ramp). */
const automated = new WeakSet<IAudioParam>();

/**
 * Moves an AudioParam to `value` with a linear ramp of PARAM_RAMP_SECONDS starting at
 * `time`: the same ramp the shared/dsp kernels apply, short enough to feel immediate and
 * long enough to avoid a click. A ramp still running at `time` is held where it is
 * (cancelAndHoldAtTime) so a fast stream of changes (a fader drag) stays continuous.
 */
export function rampParam(param: IAudioParam, value: number, time: number): void {
  if (automated.has(param)) {
    param.cancelAndHoldAtTime(time);
  } else {
    // No events yet: the value at `time` is the plain value. (A ramp needs a start event.)
    param.setValueAtTime(param.value, time);
    automated.add(param);
  }
  param.linearRampToValueAtTime(value, time + PARAM_RAMP_SECONDS);
}

/** Sets an AudioParam to `value` at `time` without a ramp (a filter type or bypass switch). */
export function jumpParam(param: IAudioParam, value: number, time: number): void {
  param.cancelScheduledValues(time);
  param.setValueAtTime(value, time);
  automated.add(param);
}

/**
 * Hands a param that followed automation back to its static `value`: held where it is at
 * `time`, then the usual ramp (no click when a lane is deleted).
 */
export function releaseParam(param: IAudioParam, value: number, time: number): void {
  param.cancelAndHoldAtTime(time);
  automated.add(param);
  param.linearRampToValueAtTime(value, time + PARAM_RAMP_SECONDS);
}
