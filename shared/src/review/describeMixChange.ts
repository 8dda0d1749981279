import type { MixLeaf } from './MixChange.ts';

/**
 * Turns one changed parameter into the words an engineer would say: "before → after" in
 * the parameter's unit, levels as the console reads them ("fader -6.0 dB → -3.5 dB").
 * `context` supplies what a bare path cannot know: bus and track names for ids, and the
 * band frequency that gives an EQ gain move its meaning.
 */
export interface DescribeContext {
  /** Display name of a track or bus id (for sends, outputs, sidechains). */
  nameOf(id: string): string;
  /** Frequency of the EQ band the change belongs to, after the change. */
  bandFreq?: number;
}

const DELTA_DB_KEYS = new Set(['gain', 'trim', 'level', 'makeup', 'drive']);
const DB_KEYS = new Set(['threshold', 'knee', 'ceiling', 'range', 'hysteresis']);
const HZ_KEYS = new Set(['freq', 'damping', 'scHpf']);
const SECONDS_KEYS = new Set(['attack', 'hold', 'release', 'decay', 'preDelay', 'time']);
const PERCENT_KEYS = new Set(['mix', 'feedback']);

const SWITCH_WORDS: Record<string, [string, string]> = {
  mute: ['muted', 'unmuted'],
  solo: ['soloed', 'unsoloed'],
  soloSafe: ['solo-safe on', 'solo-safe off'],
  polarity: ['polarity inverted', 'polarity normal'],
  pre: ['pre-fader', 'post-fader'],
};

/** What each section of a strip is called, in change lists and control names alike. */
export const GROUP_LABELS: Readonly<Record<string, string>> = {
  comp: 'compressor',
  deess: 'de-esser',
  sat: 'saturation',
  gate: 'gate',
  glue: 'glue compressor',
  limiter: 'limiter',
  effect: 'effect',
};

/** What a section of a strip is called ('comp' -> 'compressor'). */
export function groupLabel(key: string): string {
  return GROUP_LABELS[key] ?? key;
}

/** Trims a number to at most `digits` decimals without trailing zeros. */
export function trimNumber(value: number, digits = 1): string {
  const fixed = value.toFixed(digits);
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

/** `+1.5 dB`, `-2 dB`, `0 dB`. */
export function formatDeltaDb(delta: number): string {
  const text = trimNumber(delta);
  return `${delta > 0 && text !== '0' ? '+' : ''}${text === '-0' ? '0' : text} dB`;
}

/** `-6.0 dB`, `+1.5 dB`, `0.0 dB`; `-∞ dB` at the floor of a fader or send (as the console reads). */
export function formatDb(db: number): string {
  if (db <= -99.95) return '-∞ dB';
  const text = db.toFixed(1);
  return `${db > 0 && text !== '0.0' ? '+' : ''}${text === '-0.0' ? '0.0' : text} dB`;
}

/** `800 Hz`, `3.2 kHz`. */
export function formatHz(hz: number): string {
  return hz >= 1000 ? `${trimNumber(hz / 1000, 2)} kHz` : `${trimNumber(hz, 0)} Hz`;
}

const PAN_LAW_WORDS: Record<string, string> = { balance: 'balance', webaudio: 'Web Audio' };

/** `C`, `L30`, `R100` (pan -1..1 shown in percent). */
export function formatPan(pan: number): string {
  const pct = Math.round(Math.abs(pan) * 100);
  if (pct === 0) return 'C';
  return `${pan < 0 ? 'L' : 'R'}${pct}`;
}

function formatSeconds(s: number): string {
  return s < 1 ? `${trimNumber(s * 1000, 1)} ms` : `${trimNumber(s, 2)} s`;
}

/** A parameter's value in its unit, by its key ('freq' -> `800 Hz`, 'pan' -> `L30`, 'ratio' -> `4:1`). */
export function formatParamValue(key: string, value: MixLeaf, ctx: DescribeContext): string {
  if (value === null) return 'none';
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (typeof value === 'string') {
    if (key === 'output') return value === 'master' ? 'master' : ctx.nameOf(value);
    if (key === 'sidechain' || key === 'bus') return ctx.nameOf(value);
    return `"${value}"`;
  }
  if (DB_KEYS.has(key) || DELTA_DB_KEYS.has(key)) return formatDb(value);
  if (HZ_KEYS.has(key)) return formatHz(value);
  if (SECONDS_KEYS.has(key)) return formatSeconds(value);
  if (PERCENT_KEYS.has(key)) return `${Math.round(value * 100)}%`;
  if (key === 'ratio') return `${trimNumber(value)}:1`;
  if (key === 'pan') return formatPan(value);
  return trimNumber(value, 2);
}

/** Describes a changed leaf at `path` (inside a track, bus, master or session). */
export function describeParamChange(path: string[], before: MixLeaf, after: MixLeaf, ctx: DescribeContext): string {
  const key = path[path.length - 1] ?? '';
  // EQ: "EQ band 3 gain 0.0 dB → -2.0 dB at 3.2 kHz", "HPF 80 Hz → 120 Hz", "EQ band 2 on".
  if (path[0] === 'eq') {
    const where = path[1] === 'bands' ? `EQ band ${Number(path[2]) + 1}` : (path[1] ?? '').toUpperCase();
    if (key === 'gain' && typeof before === 'number' && typeof after === 'number') {
      const at = ctx.bandFreq === undefined ? '' : ` at ${formatHz(ctx.bandFreq)}`;
      return `${where} gain ${formatDb(before)} → ${formatDb(after)}${at}`;
    }
    if (key === 'on') return `${where} ${after ? 'on' : 'off'}`;
    const label = key === 'freq' ? '' : key === 'q' ? ' Q' : ` ${key}`;
    return `${where}${label} ${formatParamValue(key, before, ctx)} → ${formatParamValue(key, after, ctx)}`;
  }
  if (path[0] === 'sends') {
    const to = `send to ${ctx.nameOf(path[1] ?? '')}`;
    if (key === 'level' && typeof before === 'number' && typeof after === 'number') return `${to} ${formatDb(before)} → ${formatDb(after)}`;
    if (key === 'pre') return `${to} ${after ? 'pre-fader' : 'post-fader'}`;
    if (key === 'on') return `${to} ${after ? 'on' : 'off'}`;
    return `${to} ${key} ${formatParamValue(key, before, ctx)} → ${formatParamValue(key, after, ctx)}`;
  }
  const group = path.length > 1 ? `${GROUP_LABELS[path[0] ?? ''] ?? path[0]} ` : '';
  const switchWords = SWITCH_WORDS[key];
  if (switchWords && path.length === 1) return after ? switchWords[0] : switchWords[1];
  if (key === 'on') return `${(group || 'effect ').trim()} ${after ? 'on' : 'off'}`;
  if (DELTA_DB_KEYS.has(key) && typeof before === 'number' && typeof after === 'number') {
    // A strip's own gain is its fader: "Vocal: fader 0.0 dB → +1.5 dB".
    return `${group}${key === 'gain' && !group ? 'fader' : key} ${formatDb(before)} → ${formatDb(after)}`;
  }
  if (key === 'name') return `renamed ${formatParamValue(key, before, ctx)} → ${formatParamValue(key, after, ctx)}`;
  if (key === 'panLaw') return `pan law ${PAN_LAW_WORDS[String(before)] ?? String(before)} → ${PAN_LAW_WORDS[String(after)] ?? String(after)}`;
  if (key === 'order') return 'moved';
  const label = key === 'preDelay' ? 'pre-delay' : key === 'sampleRate' ? 'sample rate' : key === 'scHpf' ? 'key high-pass' : key;
  return `${group}${label} ${formatParamValue(key, before, ctx)} → ${formatParamValue(key, after, ctx)}`;
}
