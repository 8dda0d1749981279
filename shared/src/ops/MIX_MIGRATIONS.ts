import * as Y from 'yjs';
import { migrateBus } from '../model/BusRecord.ts';
import { migrateMaster } from '../model/MasterRecord.ts';
import { migrateTrack } from '../model/TrackRecord.ts';
import { CURRENT_SCHEMA_VERSION } from '../model/schemaVersion.ts';

/** One step of the document layout: brings a root map from `from` to `from + 1`, in place. */
export interface MixMigration {
  readonly from: number;
  readonly migrate: (root: Y.Map<unknown>) => void;
}

function eachMap(root: Y.Map<unknown>, key: string, fn: (map: Y.Map<unknown>) => void): void {
  const maps = root.get(key);
  if (maps instanceof Y.Map) for (const m of maps.values()) if (m instanceof Y.Map) fn(m as Y.Map<unknown>);
}

/** The step from `from`: every record takes its own (each record file holds its migrations). */
function step(from: number): MixMigration {
  return {
    from,
    migrate(root) {
      eachMap(root, 'tracks', (t) => migrateTrack(t, from));
      eachMap(root, 'buses', (b) => migrateBus(b, from));
      const master = root.get('master');
      if (master instanceof Y.Map) migrateMaster(master as Y.Map<unknown>, from);
    },
  };
}

/** Every migration, in order, up to CURRENT_SCHEMA_VERSION. */
export const MIX_MIGRATIONS: readonly MixMigration[] = Array.from({ length: CURRENT_SCHEMA_VERSION - 1 }, (_, i) => step(i + 1));
