import type { MixState } from '@mixroom/shared/model';
import { GROUP_LABELS } from '@mixroom/shared/review';

/** Words for the last segment(s) of a parameter path, as an engineer says them. */
const PARAM_WORDS: Record<string, string> = {
  pan: 'pan',
  trim: 'input trim',
  mute: 'mute',
  solo: 'solo',
  soloSafe: 'solo safe',
  polarity: 'polarity',
  output: 'output',
  threshold: 'threshold',
  ratio: 'ratio',
  attack: 'attack',
  release: 'release',
  range: 'range',
  hold: 'hold',
  hysteresis: 'hysteresis',
  scHpf: 'key high-pass',
  knee: 'knee',
  makeup: 'make-up gain',
  sidechain: 'sidechain',
  drive: 'drive',
  mix: 'mix',
  on: 'on',
  freq: 'frequency',
  q: 'Q',
  type: 'type',
  ceiling: 'ceiling',
  decay: 'decay',
  preDelay: 'pre-delay',
  damping: 'damping',
  time: 'time',
  feedback: 'feedback',
  level: 'level',
  pre: 'pre-fader',
};

/**
 * The parameter part of a control in words: `eq.bands.1.gain` -> `EQ band 2 gain`,
 * `gain` -> `fader`, `sends.<bus>.level` -> `send to Reverb level`. Band numbers are the
 * ones printed on the EQ (1-based); ids are turned into names from `state`.
 */
export function describeParam(state: MixState | null, path: string, busId?: string): string {
  const parts = path.split('.');
  // Only a strip's own `gain` is its fader; an EQ band's or a compressor's gain is a gain.
  const word = (k: string) => (k === 'gain' ? 'gain' : (PARAM_WORDS[k] ?? k));
  if (path === 'gain') return 'fader';
  if (parts[0] === 'eq') {
    if (parts[1] === 'bands' && parts.length === 4) {
      const n = Number(parts[2]);
      const band = Number.isInteger(n) && n >= 0 ? `EQ band ${n + 1}` : 'EQ band';
      return parts[3] === 'point' ? band : `${band} ${word(parts[3]!)}`;
    }
    if ((parts[1] === 'hpf' || parts[1] === 'lpf') && parts.length === 3) {
      const filter = parts[1] === 'hpf' ? 'high-pass' : 'low-pass';
      return parts[2] === 'on' ? filter : `${filter} ${word(parts[2]!)}`;
    }
  }
  if (parts[0] === 'sends' && parts.length === 3) {
    const bus = state?.buses.find((b) => b.id === parts[1])?.name ?? 'a bus';
    return `send to ${bus}${parts[2] === 'level' ? '' : ` ${word(parts[2]!)}`}`;
  }
  if (parts.length === 2 && GROUP_LABELS[parts[0]!]) {
    const group = GROUP_LABELS[parts[0]!]!;
    if (parts[0] === 'effect') {
      const type = state?.buses.find((b) => b.id === busId)?.effect?.type;
      return `${type ?? 'effect'} ${word(parts[1]!)}`;
    }
    return parts[1] === 'on' ? group : `${group} ${word(parts[1]!)}`;
  }
  return parts.map(word).join(' ');
}

/** The display name of a strip (`track`/`bus`/`master` scope and id), or null when it is gone. */
export function stripName(state: MixState | null, scope: string, id: string): string | null {
  if (scope === 'master') return 'Master';
  if (!state) return null;
  if (scope === 'track') return state.tracks.find((t) => t.id === id)?.name ?? null;
  if (scope === 'bus') return state.buses.find((b) => b.id === id)?.name ?? null;
  return null;
}

/**
 * A touched control (`track:<id>:eq.bands.1.gain`, see ControlId) in words:
 * `Bass · EQ band 2 gain`. Unknown strips read as "a removed strip".
 */
export function describeControl(state: MixState | null, control: string): string {
  const [scope = '', id = '', ...rest] = control.split(':');
  const path = rest.join(':');
  const strip = stripName(state, scope, id) ?? 'a removed strip';
  return path ? `${strip} · ${describeParam(state, path, scope === 'bus' ? id : undefined)}` : strip;
}
