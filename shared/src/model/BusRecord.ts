import type { DocShape } from './DocShape.ts';
import type * as Y from 'yjs';
import type { AutomationLanes } from './AutomationLane.ts';
import { automationToDocShape, checkAutomation, sanitizeAutomation, type LaneContext } from './AutomationRecord.ts';
import { addParamsSince, checkParams, flattenParams, paramDefaults, paramSinceVersions, paramsToDocShape, sanitizeParams, splitDocShape } from './ParamTable.ts';
import type { ValuesOf } from './ParamSpec.ts';
import { BUS_KINDS, BUS_SPEC, DELAY_SPEC, EFFECT_SPECS, REVERB_SPEC, type BusKind } from './BusSpec.ts';
import type { FieldChecks, RawRecord } from './checkFields.ts';
import { checkSends, sanitizeSends, sendsToDocShape, type SendState } from './SendRecord.ts';
import * as strip from './StripRecord.ts';
import type { Id, OutputTarget } from './units.ts';

export interface ReverbState extends ValuesOf<typeof REVERB_SPEC> {
  type: 'reverb';
}
export interface DelayState extends ValuesOf<typeof DELAY_SPEC> {
  type: 'delay';
}
export type BusEffectState = ReverbState | DelayState;

export interface BusState extends strip.StripIdentity, ValuesOf<typeof BUS_SPEC> {
  /** aux: a send-fed effect return; group: a summing sub-mix of tracks routed to it. */
  kind: BusKind;
  /** The aux return's effect (100% wet); null on group buses. */
  effect: BusEffectState | null;
  /** Group buses may feed aux buses; aux buses have none (no send cycles by construction). */
  sends: SendState[];
  output: OutputTarget;
  /** Lanes by param path ('gain', 'pan', 'mute', 'sends.<busId>.level'). */
  automation: AutomationLanes;
}

const BUS_FLAT = flattenParams(BUS_SPEC);

/** What a bus's lanes are read and checked against (send lanes only for its sends). */
function busLanes(sendBuses: Iterable<unknown>): LaneContext {
  return { scope: 'bus', params: BUS_FLAT, sendBuses: new Set([...sendBuses].filter((b): b is string => typeof b === 'string')) };
}

/** The default aux reverb. */
export function defaultReverb(): ReverbState {
  return { type: 'reverb', ...paramDefaults(REVERB_SPEC) };
}

/** The default aux delay. */
export function defaultDelay(): DelayState {
  return { type: 'delay', ...paramDefaults(DELAY_SPEC) };
}

/** A neutral bus; aux returns get a reverb and are solo-safe, groups get no effect. */
export function defaultBus(id: Id, name: string, kind: BusKind, order: number): BusState {
  return {
    id,
    name,
    kind,
    color: strip.stripColor(order, 4),
    order,
    ...paramDefaults(BUS_SPEC),
    // Aux returns are solo-safe so soloing a vocal keeps its reverb.
    soloSafe: kind === 'aux',
    effect: kind === 'aux' ? defaultReverb() : null,
    sends: [],
    output: 'master',
    automation: {},
  };
}

/** A bus as stored: see mixDocShape.ts for the layout. */
export function busToDocShape(b: BusState): DocShape {
  const { leaves } = splitDocShape(paramsToDocShape(BUS_SPEC, b as unknown as RawRecord));
  return {
    id: b.id,
    name: b.name,
    kind: b.kind,
    color: b.color,
    order: b.order,
    ...leaves,
    output: b.output,
    effect: b.effect ? { ...b.effect } : null,
    sends: sendsToDocShape(b.sends),
    automation: automationToDocShape(b.automation),
  };
}

function sanitizeEffect(v: unknown): BusEffectState {
  const r = typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as RawRecord) : {};
  if (r.type === 'delay') return { type: 'delay', ...sanitizeParams(DELAY_SPEC, r, paramDefaults(DELAY_SPEC)) };
  // An aux return always has an effect: a missing or unknown one reads as the default reverb.
  return { type: 'reverb', ...sanitizeParams(REVERB_SPEC, r, paramDefaults(REVERB_SPEC)) };
}

/** A stored bus read back: malformed values read as their defaults, numbers clamped. */
export function sanitizeBus(id: Id, v: unknown): BusState {
  const r = typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as RawRecord) : {};
  const kind: BusKind = (BUS_KINDS as readonly unknown[]).includes(r.kind) ? (r.kind as BusKind) : 'group';
  const identity = strip.sanitizeIdentity(id, r, (order) => ({ name: kind === 'aux' ? 'Aux' : 'Group', color: strip.stripColor(order, 4) }));
  const d = defaultBus(id, identity.name, kind, identity.order);
  const sends = sanitizeSends(r.sends);
  return {
    id,
    name: identity.name,
    kind,
    color: identity.color,
    order: identity.order,
    ...sanitizeParams(BUS_SPEC, r, d),
    effect: kind === 'aux' ? sanitizeEffect(r.effect) : null,
    sends,
    output: strip.sanitizeOutput(r.output),
    automation: sanitizeAutomation(r.automation, busLanes(sends.map((s) => s.bus))),
  };
}

/** Checks one bus of a MixState. */
export function checkBus(b: RawRecord, path: string, ctx: strip.StripCheckContext, fields: FieldChecks, issues: string[]): void {
  strip.checkIdentity(b, path, ctx, fields, issues);
  checkParams(BUS_SPEC, b, path, issues);
  strip.checkOutput(b, path, ctx, fields, issues);
  fields.oneOf(b, 'kind', path, BUS_KINDS);
  const effect = fields.at(b, 'effect', path);
  if (b.kind === 'group' && effect !== null) issues.push(`${path}.effect: group buses have no effect`);
  if (b.kind === 'aux') {
    if (typeof effect !== 'object' || effect === null || Array.isArray(effect)) issues.push(`${path}.effect: aux buses need an effect`);
    else {
      const fx = effect as RawRecord;
      if (fx.type === 'reverb' || fx.type === 'delay') checkParams(EFFECT_SPECS[fx.type], fx, `${path}.effect`, issues);
      else issues.push(`${path}.effect.type: expected reverb or delay`);
    }
  }
  checkSends(b, path, b.kind === 'group', ctx.busKind, fields, issues);
  checkAutomation(b, path, busLanes(Array.isArray(b.sends) ? b.sends.map((s: RawRecord) => s?.bus) : []), issues);
}

/** Brings one stored bus from schema `from` to `from + 1`. */
export function migrateBus(map: Y.Map<unknown>, from: number): void {
  strip.migrateStrip(map, from);
  addParamsSince(BUS_SPEC, map, from);
}

/** Schema versions at which buses changed. */
export const BUS_SCHEMA_STEPS: readonly number[] = [...strip.STRIP_SCHEMA_STEPS, ...paramSinceVersions(BUS_SPEC)];
