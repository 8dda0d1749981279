import type * as Y from 'yjs';
import { getSchemaVersion } from './mixDocAccessors.ts';
import { CURRENT_SCHEMA_VERSION } from './schemaVersion.ts';

/**
 * Whether the document was written by a newer Mixroom than this code (its session's
 * schemaVersion is past CURRENT_SCHEMA_VERSION): in a rolling upgrade an older node serves
 * it, and must not delete what it does not know (see repairCaps and docs/cluster.md).
 */
export function isNewerSchema(doc: Y.Doc): boolean {
  const version = getSchemaVersion(doc);
  return version !== null && version > CURRENT_SCHEMA_VERSION;
}
