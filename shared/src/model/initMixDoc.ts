import * as Y from 'yjs';
import type { TransactionOrigin } from '../protocol/TransactionOrigin.ts';
import { createId } from './createId.ts';
import { defaultBus, defaultDelay, defaultMaster, defaultSession } from './mixDefaults.ts';
import { busToDocShape, masterToDocShape, sessionToDocShape } from './mixDocShape.ts';
import { getMixRoot } from './mixDocAccessors.ts';
import { MAX_TITLE_LENGTH, MIX_RANGES, clampToRange } from './mixRanges.ts';
import { syncYMap } from './syncYMap.ts';

export interface InitMixDocOptions {
  title: string;
  sampleRate: number;
  /** Ids for the default aux reverb and delay buses (tests pass fixed ids). */
  reverbBusId?: string;
  delayBusId?: string;
}

/**
 * Creates the root structure of a new room's mix: session, empty tracks, a default aux
 * reverb and aux delay bus, and a neutral master. Idempotent: parts that already exist are
 * left untouched, so calling it on an existing room changes nothing.
 *
 * Only the server calls it, once, when a room is first created: if two peers created the
 * nested maps concurrently, one peer's whole map would win and the other's edits would be
 * lost.
 */
export function initMixDoc(doc: Y.Doc, options: InitMixDocOptions, origin: TransactionOrigin | null = null): void {
  const title = options.title.trim().slice(0, MAX_TITLE_LENGTH) || 'Untitled mix';
  const sampleRate = Number.isFinite(options.sampleRate)
    ? Math.round(clampToRange(options.sampleRate, MIX_RANGES.sampleRate))
    : 48000;
  doc.transact(() => {
    const root = getMixRoot(doc);
    const ensure = (key: string): { map: Y.Map<unknown>; created: boolean } => {
      const existing = root.get(key);
      if (existing instanceof Y.Map) return { map: existing as Y.Map<unknown>, created: false };
      const map = new Y.Map<unknown>();
      root.set(key, map);
      return { map, created: true };
    };
    const session = ensure('session');
    if (session.created) syncYMap(session.map, sessionToDocShape(defaultSession(title, sampleRate)));
    ensure('tracks');
    const buses = ensure('buses');
    if (buses.created) {
      const reverb = defaultBus(options.reverbBusId ?? createId(), 'Reverb', 'aux', 0);
      const delay = { ...defaultBus(options.delayBusId ?? createId(), 'Delay', 'aux', 1), effect: defaultDelay() };
      for (const bus of [reverb, delay]) {
        const map = new Y.Map<unknown>();
        buses.map.set(bus.id, map);
        syncYMap(map, busToDocShape(bus));
      }
    }
    const master = ensure('master');
    if (master.created) syncYMap(master.map, masterToDocShape(defaultMaster()));
  }, origin);
}
