import type * as Y from 'yjs';
import { isValidId } from './createId.ts';
import type { FieldChecks, RawRecord } from './checkFields.ts';
import { AUTOMATION_SINCE, migrateAutomation } from './AutomationRecord.ts';
import { migrateSends } from './SendRecord.ts';
import type { Id, OutputTarget } from './units.ts';

/**
 * What tracks and buses share: identity (id, name, color, order) and the output; the fader
 * section's parameters are in StripSpec.ts, which TrackSpec.ts and BusSpec.ts spread into
 * their own tables.
 */

/** Colors handed out to new tracks and buses in turn. */
export const STRIP_COLORS = ['#e5484d', '#f76b15', '#ffc53d', '#46a758', '#12a594', '#0090ff', '#6e56cf', '#d6409f'] as const;

/** Longest accepted track or bus name, in UTF-16 code units. */
export const MAX_NAME_LENGTH = 100;

/** Colors are stored as `#rrggbb`. */
export const COLOR_PATTERN = /^#[0-9a-f]{6}$/;


/** The fields every strip has besides its parameters. */
export interface StripIdentity {
  id: Id;
  name: string;
  color: string;
  /** Sort key; ties broken by id so every peer shows the same order. */
  order: number;
}

/** The color a new strip at `order` gets (buses start `offset` further along the palette). */
export function stripColor(order: number, offset = 0): string {
  return STRIP_COLORS[(Math.abs(Math.trunc(order)) + offset) % STRIP_COLORS.length] ?? STRIP_COLORS[0];
}

/** Sort by (order, id); ids compare by code unit so every peer and locale agrees. */
export function compareByOrder(a: { order: number; id: string }, b: { order: number; id: string }): number {
  if (a.order !== b.order) return a.order - b.order;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Stored identity fields read back; `fallback` supplies the name and color of a strip without valid ones. */
export function sanitizeIdentity(id: Id, r: RawRecord, fallback: (order: number) => { name: string; color: string }): StripIdentity {
  const order = typeof r.order === 'number' && Number.isFinite(r.order) ? r.order : 0;
  const d = fallback(order);
  return {
    id,
    name: typeof r.name === 'string' && r.name.length > 0 ? r.name.slice(0, MAX_NAME_LENGTH) : d.name,
    color: typeof r.color === 'string' && COLOR_PATTERN.test(r.color) ? r.color : d.color,
    order,
  };
}

/** A stored output read back (references are checked by repairMixState). */
export function sanitizeOutput(v: unknown): OutputTarget {
  return typeof v === 'string' && v.length > 0 ? v : 'master';
}

/** What a strip's checks need to know about the whole state. */
export interface StripCheckContext {
  readonly busKind: ReadonlyMap<unknown, unknown>;
  /** Ids seen so far, tracks and buses alike (they must be unique across both). */
  readonly ids: Set<unknown>;
}

/** Checks a strip's id, name, color and order. */
export function checkIdentity(o: RawRecord, path: string, ctx: StripCheckContext, fields: FieldChecks, issues: string[]): void {
  if (!isValidId(o.id)) issues.push(`${path}.id: expected 1..64 letters, digits, _ or -, not 'master'`);
  else if (ctx.ids.has(o.id)) issues.push(`${path}.id: duplicate id ${o.id}`);
  ctx.ids.add(o.id);
  fields.str(o, 'name', path, MAX_NAME_LENGTH);
  fields.pattern(o, 'color', path, COLOR_PATTERN, '#rrggbb');
  fields.finite(o, 'order', path);
}

/** Checks a strip's output: the master or another group bus. */
export function checkOutput(o: RawRecord, path: string, ctx: StripCheckContext, fields: FieldChecks, issues: string[]): void {
  const v = fields.at(o, 'output', path);
  if (v !== 'master' && (ctx.busKind.get(v) !== 'group' || v === o.id)) issues.push(`${path}.output: not the master or another group bus`);
}

/**
 * Schema steps every strip takes, tracks and buses alike. v1 -> v2: pan was stored in
 * -100..100 (now -1..1); the sends' own step is in SendRecord.ts. v3 -> v4: the empty
 * automation map (AutomationRecord.ts).
 */
export function migrateStrip(strip: Y.Map<unknown>, from: number): void {
  if (from === 1) {
    const pan = strip.get('pan');
    if (typeof pan === 'number' && Number.isFinite(pan)) strip.set('pan', Math.max(-1, Math.min(1, pan / 100)));
  }
  migrateSends(strip, from);
  migrateAutomation(strip, from);
}

/** Schema versions at which every strip changed (see migrateStrip). */
export const STRIP_SCHEMA_STEPS: readonly number[] = [2, AUTOMATION_SINCE];
