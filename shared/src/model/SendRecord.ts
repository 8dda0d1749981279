import type { DocShape } from './DocShape.ts';
import * as Y from 'yjs';
import { checkParams, paramDefaults, paramsToDocShape, sanitizeParams } from './ParamTable.ts';
import type { ValuesOf } from './ParamSpec.ts';
import { SEND_SPEC } from './SendSpec.ts';
import type { FieldChecks, RawRecord } from './checkFields.ts';
import type { Id } from './units.ts';

export interface SendState extends ValuesOf<typeof SEND_SPEC> {
  /** Target aux bus. */
  bus: Id;
}

/** A send at unity, post-fader, on. */
export function defaultSend(bus: Id): SendState {
  return { bus, ...paramDefaults(SEND_SPEC) };
}

/** Sends as stored: a map keyed by bus id. */
export function sendsToDocShape(sends: readonly SendState[]): DocShape {
  const out: Record<string, Record<string, unknown>> = {};
  for (const s of sends) out[s.bus] = paramsToDocShape(SEND_SPEC, s as unknown as RawRecord);
  return out;
}

/** The stored sends map read back, sorted by bus id. */
export function sanitizeSends(v: unknown): SendState[] {
  const r = typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as RawRecord) : {};
  const fallback = paramDefaults(SEND_SPEC);
  return Object.keys(r)
    .filter((bus) => bus.length > 0)
    .sort()
    .map((bus) => ({ bus, ...sanitizeParams(SEND_SPEC, r[bus], fallback) }));
}

/** Checks a strip's sends: sorted by bus id, one per bus, each aimed at an existing aux bus. */
export function checkSends(
  owner: RawRecord,
  path: string,
  allowed: boolean,
  busKind: ReadonlyMap<unknown, unknown>,
  fields: FieldChecks,
  issues: string[],
): void {
  const items = fields.list(owner, 'sends', path);
  if (!allowed && items.length > 0) issues.push(`${path}.sends: aux buses have no sends`);
  let previous = '';
  items.forEach((s, i) => {
    const p = `${path}.sends[${i}]`;
    if (typeof s.bus !== 'string' || busKind.get(s.bus) !== 'aux') issues.push(`${p}.bus: not an existing aux bus`);
    else if (s.bus <= previous) issues.push(`${p}.bus: sends must be sorted by bus id, one per bus`);
    if (typeof s.bus === 'string') previous = s.bus;
    checkParams(SEND_SPEC, s, p, issues);
  });
}

/**
 * Schema steps of a strip's sends, run on the strip's map. v1 -> v2: sends were a Y.Array
 * of {bus, level, pre, on} maps, which duplicated a send when two users added it at once;
 * now a Y.Map keyed by bus id (the first send per bus in array order wins).
 */
export function migrateSends(strip: Y.Map<unknown>, from: number): void {
  if (from !== 1) return;
  const sends = strip.get('sends');
  if (sends instanceof Y.Map) return; // already keyed: nothing to convert
  const entries: [string, RawRecord][] = [];
  if (sends instanceof Y.Array) {
    for (const item of sends.toArray()) {
      const s = item instanceof Y.Map ? (item.toJSON() as RawRecord) : item;
      if (typeof s !== 'object' || s === null) continue;
      const rec = s as RawRecord;
      if (typeof rec.bus !== 'string' || entries.some(([bus]) => bus === rec.bus)) continue;
      entries.push([rec.bus, rec]);
    }
  }
  const next = new Y.Map<unknown>();
  strip.set('sends', next);
  for (const [bus, s] of entries) {
    const send = new Y.Map<unknown>();
    next.set(bus, send);
    for (const [key, spec] of Object.entries(SEND_SPEC)) if (typeof s[key] === (spec.kind === 'number' ? 'number' : 'boolean')) send.set(key, s[key]);
  }
}

/** Schema versions at which sends changed (see migrateSends). */
export const SEND_SCHEMA_STEPS: readonly number[] = [2];
