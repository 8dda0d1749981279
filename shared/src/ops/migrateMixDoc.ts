import type { TransactionOrigin } from '../protocol/TransactionOrigin.ts';
import type * as Y from 'yjs';
import { getMixRoot, getSessionMap } from '../model/mixDocAccessors.ts';
import { CURRENT_SCHEMA_VERSION } from '../model/schemaVersion.ts';
import { MIX_MIGRATIONS, type MixMigration } from './MIX_MIGRATIONS.ts';
import { MixOpError } from './MixOpError.ts';

export interface MigrationResult {
  from: number | null;
  to: number | null;
}

/**
 * Brings a stored mix document up to CURRENT_SCHEMA_VERSION in one transaction. The server
 * runs it when it loads a room, before any client syncs, so only one peer ever migrates
 * (two concurrent migrations would convert the same data twice). An uninitialised document
 * is left alone; a document newer than this code is refused (MixOpError
 * 'schema-too-new') rather than damaged.
 */
export function migrateMixDoc(doc: Y.Doc, origin: TransactionOrigin): MigrationResult {
  const session = getSessionMap(doc);
  const stored = session?.get('schemaVersion');
  if (!session) return { from: null, to: null };
  const from = typeof stored === 'number' && Number.isInteger(stored) ? stored : 1;
  if (from > CURRENT_SCHEMA_VERSION) {
    throw new MixOpError('schema-too-new', `This mix was saved by a newer Mixroom (schema ${from}); update the server`);
  }
  if (from === CURRENT_SCHEMA_VERSION) return { from, to: from };
  // Find every step before writing: Yjs cannot roll back a half-done transaction.
  const steps: MixMigration[] = [];
  for (let v = from; v < CURRENT_SCHEMA_VERSION; v++) {
    const step = MIX_MIGRATIONS.find((m) => m.from === v);
    if (!step) throw new MixOpError('invalid-state', `No migration from schema ${v}`);
    steps.push(step);
  }
  doc.transact(() => {
    const root = getMixRoot(doc);
    for (const step of steps) step.migrate(root);
    session.set('schemaVersion', CURRENT_SCHEMA_VERSION);
  }, origin);
  return { from, to: CURRENT_SCHEMA_VERSION };
}
