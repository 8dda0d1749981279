import { formatValue } from '../mix/formatValue.ts';
import type { LaneParam } from './laneParam.ts';

/** A lane value as its control shows it: `-3.0 dB`, `2.40 kHz`, `L30`, `on`/`off` for mute. */
export function formatLaneValue(param: LaneParam, value: number): string {
  if (param.switch) return value >= 0.5 ? 'muted' : 'unmuted';
  const unit = param.range.unit;
  return formatValue(value, unit === 'dB' || unit === 'Hz' || unit === 'pan' || unit === 's' || unit === 'ratio' ? unit : 'dB');
}
