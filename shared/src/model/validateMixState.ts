import { checkBus } from './BusRecord.ts';
import { checkMaster } from './MasterRecord.ts';
import type { MixState } from './MixState.ts';
import { withAddedRecordParams } from './withAddedParams.ts';
import { checkSession } from './SessionRecord.ts';
import { checkTrack } from './TrackRecord.ts';
import { checkFields, isRawRecord, type RawRecord } from './checkFields.ts';
import { findBusCycle } from './findBusCycle.ts';
import { compareByOrder } from './StripRecord.ts';

export type MixStateValidation = { ok: true; state: MixState } | { ok: false; issues: string[] };

/**
 * Checks a whole MixState, e.g. a version snapshot read back from storage: every field
 * present with the right type, numbers finite and inside their records' ranges, tracks and
 * buses sorted by (order, id) with unique ids, sends sorted by bus id and aimed at aux
 * buses, outputs at the master or a group bus, no bus routing cycle, sidechains naming
 * another existing track. Returns every issue found (path: message), not just the first.
 * A valid state comes back with every parameter added since the snapshot was taken filled
 * in with the value older records have (a pan law of 'webaudio' before schema v3),
 * otherwise as given.
 */
export function validateMixState(value: unknown): MixStateValidation {
  if (!isRawRecord(value)) return { ok: false, issues: ['state: expected an object'] };
  const issues: string[] = [];
  const fields = checkFields(issues);
  const root = value;

  checkSession(fields.obj(root, 'session', 'state'), fields, issues);
  const buses = fields.list(root, 'buses', 'state');
  const tracks = fields.list(root, 'tracks', 'state');
  const ctx = { busKind: new Map<unknown, unknown>(buses.map((b) => [b.id, b.kind])), ids: new Set<unknown>(), trackIds: new Set(tracks.map((t) => t.id)) };
  const sorted = (items: RawRecord[], path: string) => {
    for (let i = 1; i < items.length; i++) {
      const a = items[i - 1]!;
      const b = items[i]!;
      if (typeof a.order === 'number' && typeof b.order === 'number' && typeof a.id === 'string' && typeof b.id === 'string') {
        if (compareByOrder(a as { order: number; id: string }, b as { order: number; id: string }) > 0) issues.push(`${path}[${i}]: not sorted by (order, id)`);
      }
    }
  };
  tracks.forEach((t, i) => checkTrack(t, `tracks[${i}]`, ctx, fields, issues));
  sorted(tracks, 'tracks');
  buses.forEach((b, i) => checkBus(b, `buses[${i}]`, ctx, fields, issues));
  sorted(buses, 'buses');
  checkMaster(fields.obj(root, 'master', 'state'), issues);

  if (issues.length === 0) {
    const cycle = findBusCycle(root.buses as MixState['buses']);
    if (cycle) issues.push(`buses: routing cycle ${cycle.map((e) => e.from).join(' -> ')} -> ${cycle[0]!.from}`);
  }
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, state: withAddedRecordParams(root as unknown as MixState) };
}
