import type { Id } from '../model/MixState.ts';
import { isValidId } from '../model/createId.ts';
import type { GestureTarget } from '../protocol/GestureTarget.ts';
import { BUS_PARAMS, EFFECT_PARAMS, type BusParam, type EffectParam } from './BUS_PARAMS.ts';
import { MASTER_PARAMS, type MasterParam } from './MASTER_PARAMS.ts';
import { SEND_PARAMS, type SendParam } from './SEND_PARAMS.ts';
import { TRACK_PARAMS, type TrackParam } from './TRACK_PARAMS.ts';

/**
 * Which parameter of the mix an edit writes: data, not a string. {@link setParam} writes
 * any of them; {@link paramAddressOf} reads the dotted paths the console's controls carry.
 */
export type ParamAddress =
  | { readonly kind: 'track'; readonly trackId: Id; readonly param: TrackParam }
  | { readonly kind: 'bus'; readonly busId: Id; readonly param: BusParam }
  /** A parameter of an aux return's effect, or its type ('reverb' | 'delay'). */
  | { readonly kind: 'effect'; readonly busId: Id; readonly param: EffectParam | 'type' }
  | { readonly kind: 'send'; readonly fromId: Id; readonly busId: Id; readonly param: SendParam }
  | { readonly kind: 'master'; readonly param: MasterParam }
  /** Where a track or bus sends its output: 'master' or a group bus id. */
  | { readonly kind: 'output'; readonly id: Id }
  /** The track keying a track's compressor, or null for itself. */
  | { readonly kind: 'sidechain'; readonly trackId: Id }
  /** The track opening a track's gate, or null for itself. */
  | { readonly kind: 'gateKey'; readonly trackId: Id };

/** Any value a parameter may hold; {@link setParam} checks it against the parameter's spec. */
export type ParamValue = number | boolean | string | null;

/** The strip a control sits on, as the console names it. */
export interface ParamStrip {
  readonly scope: 'track' | 'bus' | 'master';
  /** Track or bus id; ignored for the master. */
  readonly id: Id;
}

const SENDS = 'sends';
const EFFECT = 'effect';
const isKey = <T extends object>(table: T, key: string): key is keyof T & string => Object.hasOwn(table, key);
const EFFECT_KEYS: Readonly<Record<string, true>> = Object.fromEntries(
  [...Object.keys(EFFECT_PARAMS.reverb), ...Object.keys(EFFECT_PARAMS.delay), 'type'].map((k) => [k, true]),
);

/**
 * Reads a control's dotted path on a strip ('gain', 'eq.bands.2.freq', 'sends.<busId>.level',
 * 'effect.decay', 'output', 'comp.sidechain', 'gate.sidechain') into an address; null for a path no parameter
 * of that strip has. The path spelling is the storage path below the strip, so the console's
 * `data-path` attributes and the ops' param tables agree by construction.
 */
export function paramAddressOf(strip: ParamStrip, path: string): ParamAddress | null {
  if (strip.scope === 'master') return isKey(MASTER_PARAMS, path) ? { kind: 'master', param: path } : null;
  const id = strip.id;
  if (path === 'output') return { kind: 'output', id };
  const [head, middle, last, ...rest] = path.split('.');
  if (head === SENDS && middle !== undefined && last !== undefined && rest.length === 0) {
    return isValidId(middle) && isKey(SEND_PARAMS, last) ? { kind: 'send', fromId: id, busId: middle, param: last } : null;
  }
  if (strip.scope === 'track') {
    if (path === 'comp.sidechain') return { kind: 'sidechain', trackId: id };
    if (path === 'gate.sidechain') return { kind: 'gateKey', trackId: id };
    return isKey(TRACK_PARAMS, path) ? { kind: 'track', trackId: id, param: path } : null;
  }
  if (head === EFFECT && middle !== undefined && last === undefined) {
    return isKey(EFFECT_KEYS, middle) ? { kind: 'effect', busId: id, param: middle as EffectParam | 'type' } : null;
  }
  return isKey(BUS_PARAMS, path) ? { kind: 'bus', busId: id, param: path } : null;
}

/** The strip-relative path of an address: the inverse of {@link paramAddressOf}. */
export function paramPathOf(address: ParamAddress): string {
  switch (address.kind) {
    case 'track':
    case 'bus':
    case 'master':
      return address.param;
    case 'effect':
      return `${EFFECT}.${address.param}`;
    case 'send':
      return `${SENDS}.${address.busId}.${address.param}`;
    case 'output':
      return 'output';
    case 'sidechain':
      return 'comp.sidechain';
    case 'gateKey':
      return 'gate.sidechain';
  }
}

/**
 * What a drag of `address` moves, as peers see it in awareness (shared/ops createGesture):
 * the target and the parameter below it ('level' for a send, the path otherwise).
 */
export function gestureTargetOf(address: ParamAddress): { target: GestureTarget; param: string } {
  switch (address.kind) {
    case 'master':
      return { target: { kind: 'master' }, param: address.param };
    case 'send':
      return { target: { kind: 'send', fromId: address.fromId, busId: address.busId }, param: address.param };
    case 'track':
    case 'sidechain':
    case 'gateKey':
      return { target: { kind: 'strip', id: address.trackId }, param: paramPathOf(address) };
    case 'bus':
    case 'effect':
      return { target: { kind: 'strip', id: address.busId }, param: paramPathOf(address) };
    case 'output':
      return { target: { kind: 'strip', id: address.id }, param: paramPathOf(address) };
  }
}
