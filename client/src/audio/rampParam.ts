import { PARAM_RAMP_SECONDS } from '@mixroom/shared/dsp';
import type { IAudioParam } from 'standardized-audio-context';

/**
 * Moves an AudioParam to `value` with a linear ramp of PARAM_RAMP_SECONDS starting at
 * `time`: the same ramp the shared/dsp kernels apply, short enough to feel immediate and
 * long enough to avoid a click. A ramp already running is held where it is first.
 */
export function rampParam(param: IAudioParam, value: number, time: number): void {
  param.cancelScheduledValues(time);
  param.setValueAtTime(param.value, time);
  param.linearRampToValueAtTime(value, time + PARAM_RAMP_SECONDS);
}
