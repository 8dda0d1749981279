import { BUS_KINDS, EQ_BAND_TYPES, PAN_LAWS, type MixState } from './MixState.ts';
import { isValidId } from './createId.ts';
import { findBusCycle } from './findBusCycle.ts';
import { COLOR_PATTERN, MAX_NAME_LENGTH, MAX_TITLE_LENGTH, MIX_RANGES, type NumberRange } from './mixRanges.ts';
import { compareByOrder } from './sanitizeMixState.ts';
import { withPanLaws } from './withPanLaws.ts';

export type MixStateValidation = { ok: true; state: MixState } | { ok: false; issues: string[] };

type Raw = Record<string, unknown>;

/**
 * Checks a whole MixState, e.g. a version snapshot read back from storage: every field
 * present with the right type, numbers finite and inside MIX_RANGES, tracks and buses
 * sorted by (order, id) with unique ids, sends sorted by bus id and aimed at aux buses,
 * outputs at the master or a group bus, no bus routing cycle, sidechains naming another
 * existing track. Returns every issue found (path: message), not just the first. A valid
 * state comes back with a pan law on every strip ({@link withPanLaws}: a snapshot from
 * before schema v3 has none), otherwise as given.
 */
export function validateMixState(value: unknown): MixStateValidation {
  const issues: string[] = [];
  const isObj = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
  const at = (o: Raw, key: string, path: string): unknown => {
    if (!Object.hasOwn(o, key)) issues.push(`${path}.${key}: missing`);
    return o[key];
  };
  const obj = (o: Raw, key: string, path: string): Raw => {
    const v = at(o, key, path);
    if (!isObj(v)) {
      issues.push(`${path}.${key}: expected an object`);
      return {};
    }
    return v;
  };
  const num = (o: Raw, key: string, path: string, range: NumberRange) => {
    const v = at(o, key, path);
    if (typeof v !== 'number' || !Number.isFinite(v)) issues.push(`${path}.${key}: expected a finite number`);
    else if (v < range.min || v > range.max) issues.push(`${path}.${key}: ${v} outside ${range.min}..${range.max} ${range.unit}`);
  };
  const bool = (o: Raw, key: string, path: string) => {
    if (typeof at(o, key, path) !== 'boolean') issues.push(`${path}.${key}: expected a boolean`);
  };
  const str = (o: Raw, key: string, path: string, max = MAX_NAME_LENGTH) => {
    const v = at(o, key, path);
    if (typeof v !== 'string' || v.length === 0 || v.length > max) issues.push(`${path}.${key}: expected a string of 1..${max} characters`);
  };
  const oneOf = (o: Raw, key: string, path: string, values: readonly unknown[]) => {
    if (!values.includes(at(o, key, path))) issues.push(`${path}.${key}: expected one of ${values.join(', ')}`);
  };
  const color = (o: Raw, key: string, path: string) => {
    const v = at(o, key, path);
    if (typeof v !== 'string' || !COLOR_PATTERN.test(v)) issues.push(`${path}.${key}: expected #rrggbb`);
  };
  const finite = (o: Raw, key: string, path: string) => {
    const v = at(o, key, path);
    if (typeof v !== 'number' || !Number.isFinite(v)) issues.push(`${path}.${key}: expected a finite number`);
  };
  const list = (o: Raw, key: string, path: string): Raw[] => {
    const v = at(o, key, path);
    if (!Array.isArray(v)) {
      issues.push(`${path}.${key}: expected an array`);
      return [];
    }
    return v.map((item, i) => {
      if (!isObj(item)) issues.push(`${path}.${key}[${i}]: expected an object`);
      return isObj(item) ? item : {};
    });
  };

  if (!isObj(value)) return { ok: false, issues: ['state: expected an object'] };
  const root = value;

  const session = obj(root, 'session', 'state');
  str(session, 'title', 'session', MAX_TITLE_LENGTH);
  num(session, 'sampleRate', 'session', MIX_RANGES.sampleRate);
  if (!Number.isInteger(session.schemaVersion)) issues.push('session.schemaVersion: expected an integer');
  if (session.tempo !== null) num(session, 'tempo', 'session', MIX_RANGES.tempo);

  const buses = list(root, 'buses', 'state');
  const tracks = list(root, 'tracks', 'state');
  const busKind = new Map<unknown, unknown>(buses.map((b) => [b.id, b.kind]));
  const trackIds = new Set(tracks.map((t) => t.id));
  const ids = new Set<unknown>();

  const sends = (owner: Raw, path: string, allowed: boolean) => {
    const items = list(owner, 'sends', path);
    if (!allowed && items.length > 0) issues.push(`${path}.sends: aux buses have no sends`);
    let previous = '';
    items.forEach((s, i) => {
      const p = `${path}.sends[${i}]`;
      if (typeof s.bus !== 'string' || busKind.get(s.bus) !== 'aux') issues.push(`${p}.bus: not an existing aux bus`);
      else if (s.bus <= previous) issues.push(`${p}.bus: sends must be sorted by bus id, one per bus`);
      if (typeof s.bus === 'string') previous = s.bus;
      num(s, 'level', p, MIX_RANGES.sendLevel);
      bool(s, 'pre', p);
      bool(s, 'on', p);
    });
  };
  const output = (o: Raw, path: string) => {
    const v = at(o, 'output', path);
    if (v !== 'master' && (busKind.get(v) !== 'group' || v === o.id)) issues.push(`${path}.output: not the master or another group bus`);
  };
  const strip = (o: Raw, path: string) => {
    if (!isValidId(o.id)) issues.push(`${path}.id: expected 1..64 letters, digits, _ or -, not 'master'`);
    else if (ids.has(o.id)) issues.push(`${path}.id: duplicate id ${o.id}`);
    ids.add(o.id);
    str(o, 'name', path);
    color(o, 'color', path);
    finite(o, 'order', path);
    num(o, 'gain', path, MIX_RANGES.fader);
    bool(o, 'mute', path);
    bool(o, 'solo', path);
    bool(o, 'soloSafe', path);
    num(o, 'pan', path, MIX_RANGES.pan);
    // Optional: a version snapshot from before schema v3 has none (its strips use 'webaudio').
    if (Object.hasOwn(o, 'panLaw')) oneOf(o, 'panLaw', path, PAN_LAWS);
    output(o, path);
  };
  const sorted = (items: Raw[], path: string) => {
    for (let i = 1; i < items.length; i++) {
      const a = items[i - 1]!;
      const b = items[i]!;
      if (typeof a.order === 'number' && typeof b.order === 'number' && typeof a.id === 'string' && typeof b.id === 'string') {
        if (compareByOrder(a as { order: number; id: string }, b as { order: number; id: string }) > 0) {
          issues.push(`${path}[${i}]: not sorted by (order, id)`);
        }
      }
    }
  };

  tracks.forEach((t, i) => {
    const path = `tracks[${i}]`;
    strip(t, path);
    const stem = at(t, 'stem', path);
    if (stem !== null) {
      if (!isObj(stem) || typeof stem.key !== 'string' || typeof stem.fileName !== 'string') issues.push(`${path}.stem: expected a StemRef or null`);
      else for (const k of ['sampleRate', 'channels', 'frames']) if (!Number.isInteger(stem[k]) || (stem[k] as number) < 0) issues.push(`${path}.stem.${k}: expected a non-negative integer`);
    }
    num(t, 'trim', path, MIX_RANGES.trim);
    bool(t, 'polarity', path);
    const eq = obj(t, 'eq', path);
    for (const f of ['hpf', 'lpf']) {
      const filter = obj(eq, f, `${path}.eq`);
      bool(filter, 'on', `${path}.eq.${f}`);
      num(filter, 'freq', `${path}.eq.${f}`, MIX_RANGES.filterFreq);
      num(filter, 'q', `${path}.eq.${f}`, MIX_RANGES.filterQ);
    }
    const bands = list(eq, 'bands', `${path}.eq`);
    if (bands.length !== 4) issues.push(`${path}.eq.bands: expected exactly 4 bands`);
    bands.forEach((b, j) => {
      const p = `${path}.eq.bands[${j}]`;
      bool(b, 'on', p);
      oneOf(b, 'type', p, EQ_BAND_TYPES);
      num(b, 'freq', p, MIX_RANGES.eqFreq);
      num(b, 'gain', p, MIX_RANGES.eqGain);
      num(b, 'q', p, MIX_RANGES.eqQ);
    });
    const comp = obj(t, 'comp', path);
    const cp = `${path}.comp`;
    bool(comp, 'on', cp);
    num(comp, 'threshold', cp, MIX_RANGES.compThreshold);
    num(comp, 'ratio', cp, MIX_RANGES.compRatio);
    num(comp, 'attack', cp, MIX_RANGES.compAttack);
    num(comp, 'release', cp, MIX_RANGES.compRelease);
    num(comp, 'knee', cp, MIX_RANGES.compKnee);
    num(comp, 'makeup', cp, MIX_RANGES.compMakeup);
    const sc = at(comp, 'sidechain', cp);
    if (sc !== null && (sc === t.id || !trackIds.has(sc))) issues.push(`${cp}.sidechain: not another existing track`);
    const sat = obj(t, 'sat', path);
    bool(sat, 'on', `${path}.sat`);
    num(sat, 'drive', `${path}.sat`, MIX_RANGES.satDrive);
    num(sat, 'mix', `${path}.sat`, MIX_RANGES.satMix);
    sends(t, path, true);
  });
  sorted(tracks, 'tracks');

  buses.forEach((b, i) => {
    const path = `buses[${i}]`;
    strip(b, path);
    oneOf(b, 'kind', path, BUS_KINDS);
    const effect = at(b, 'effect', path);
    if (b.kind === 'group' && effect !== null) issues.push(`${path}.effect: group buses have no effect`);
    if (b.kind === 'aux') {
      if (!isObj(effect)) issues.push(`${path}.effect: aux buses need an effect`);
      else if (effect.type === 'reverb') {
        num(effect, 'decay', `${path}.effect`, MIX_RANGES.reverbDecay);
        num(effect, 'preDelay', `${path}.effect`, MIX_RANGES.reverbPreDelay);
        num(effect, 'damping', `${path}.effect`, MIX_RANGES.effectDamping);
      } else if (effect.type === 'delay') {
        num(effect, 'time', `${path}.effect`, MIX_RANGES.delayTime);
        num(effect, 'feedback', `${path}.effect`, MIX_RANGES.delayFeedback);
        num(effect, 'damping', `${path}.effect`, MIX_RANGES.effectDamping);
      } else issues.push(`${path}.effect.type: expected reverb or delay`);
    }
    sends(b, path, b.kind === 'group');
  });
  sorted(buses, 'buses');

  const master = obj(root, 'master', 'state');
  num(master, 'gain', 'master', MIX_RANGES.fader);
  const glue = obj(master, 'glue', 'master');
  bool(glue, 'on', 'master.glue');
  num(glue, 'threshold', 'master.glue', MIX_RANGES.glueThreshold);
  num(glue, 'ratio', 'master.glue', MIX_RANGES.glueRatio);
  num(glue, 'attack', 'master.glue', MIX_RANGES.glueAttack);
  num(glue, 'release', 'master.glue', MIX_RANGES.glueRelease);
  num(glue, 'knee', 'master.glue', MIX_RANGES.glueKnee);
  num(glue, 'makeup', 'master.glue', MIX_RANGES.glueMakeup);
  const limiter = obj(master, 'limiter', 'master');
  bool(limiter, 'on', 'master.limiter');
  num(limiter, 'ceiling', 'master.limiter', MIX_RANGES.limiterCeiling);
  num(limiter, 'release', 'master.limiter', MIX_RANGES.limiterRelease);

  if (issues.length === 0) {
    const cycle = findBusCycle(root.buses as MixState['buses']);
    if (cycle) issues.push(`buses: routing cycle ${cycle.map((e) => e.from).join(' -> ')} -> ${cycle[0]!.from}`);
  }
  return issues.length === 0 ? { ok: true, state: withPanLaws(root as unknown as MixState) } : { ok: false, issues };
}
