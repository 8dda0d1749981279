import type * as Y from 'yjs';
import { CURRENT_SCHEMA_VERSION, getSchemaVersion, isNewerSchema } from '@mixroom/shared/model';
import { migrateMixDoc, observeAutomationRepair, observeCapRepair, observeRepair, repairAutomation, repairCaps, repairMix } from '@mixroom/shared/ops';
import { moveRepliesOut, parseSyncDocName } from '@mixroom/shared/review';
import type { RoomId, TransactionOrigin } from '@mixroom/shared/protocol';
import type { Logger } from '../log/Logger.ts';

/**
 * The server's part of keeping every mix document valid, run on each room load:
 * brings a document saved by an older Mixroom up to the current schema (clients then only
 * ever see current documents), repairs invariants once (a send cycle or a dangling route that
 * reached the log before this code existed), and keeps repairing after every merged client
 * update. Repair is deterministic, so the server and every client converge on the same fix.
 * Stored automation entries no lane holds (what a client writing around shared/ops may
 * send: junk points, a lane past its point limit) are deleted here, on load and after each
 * client update that touches lanes. Likewise what MIX_CAPS bounds (strip counts, names, the
 * title, sends): past it, the excess is cut on load and after each client update (repairCaps).
 * Review documents (`<room>~review`) are server-written records: only migrated (replies that
 * older servers kept inside their comment move to entries of their own, see moveRepliesOut).
 *
 * A mix of a newer schema (a newer node migrated it during a rolling upgrade, see
 * docs/cluster.md) is served as it is: not migrated, and repaired without deleting what this
 * node does not know (repairCaps keeps it within MIX_CAPS.foreignBytes). `logger` hears of
 * it once per room load, when it loads so or when it turns so.
 */
export function openMixRoom(doc: Y.Doc, roomId: RoomId, origin: TransactionOrigin, logger?: Pick<Logger, 'warn'>): () => void {
  const kind = parseSyncDocName(roomId)?.kind;
  if (kind === 'review') moveRepliesOut(doc, origin);
  if (kind !== 'mix') return () => undefined;
  let warned = false;
  const warnIfNewer = () => {
    if (warned || !isNewerSchema(doc)) return;
    warned = true;
    logger?.warn('mix of a newer schema: served without migration; repair keeps what this node does not know', {
      roomId,
      schemaVersion: getSchemaVersion(doc),
      nodeSchemaVersion: CURRENT_SCHEMA_VERSION,
    });
  };
  warnIfNewer();
  if (!warned) migrateMixDoc(doc, origin);
  repairCaps(doc, origin);
  repairMix(doc, origin);
  repairAutomation(doc, origin);
  doc.on('afterTransaction', warnIfNewer);
  const disposers = [observeRepair(doc, origin), observeAutomationRepair(doc, origin), observeCapRepair(doc, origin), () => doc.off('afterTransaction', warnIfNewer)];
  return () => disposers.forEach((dispose) => dispose());
}
