import * as Y from 'yjs';
import { getBusMap } from '@mixroom/shared/model';
import { addBus, setOutput } from '@mixroom/shared/ops';
import { createOrigin } from '@mixroom/shared/protocol';
import { waitFor, type TestClient } from './syncHarness.ts';

const outputs = (doc: Y.Doc) => [getBusMap(doc, 'grpdrums')?.get('output'), getBusMap(doc, 'grpmusic')?.get('output')];

/** Two group buses made by `a`, once `b` has them too. */
export async function addTwoGroups(a: TestClient, b: TestClient): Promise<void> {
  const origin = createOrigin('local-user', 'a');
  addBus(a.doc, { kind: 'group', name: 'Drums', id: 'grpdrums' }, origin);
  addBus(a.doc, { kind: 'group', name: 'Music', id: 'grpmusic' }, origin);
  await waitFor('b sees both groups', () => getBusMap(b.doc, 'grpmusic') !== null);
}

/**
 * Offline at the same time, `a` routes Drums into Music and `b` Music into Drums: each edit is
 * valid alone, together they form a cycle. Both reconnect; resolves once the server's repair
 * reached both raw documents (not just the repaired read view): the same outputs, one of them
 * back on master.
 */
export async function mergeOfflineCycle(a: TestClient, b: TestClient): Promise<void> {
  a.provider.disconnect();
  b.provider.disconnect();
  setOutput(a.doc, { id: 'grpdrums', output: 'grpmusic' }, createOrigin('local-user', 'a'));
  setOutput(b.doc, { id: 'grpmusic', output: 'grpdrums' }, createOrigin('local-user', 'b'));
  a.provider.connect();
  b.provider.connect();
  await waitFor('server repair reached both clients', () => {
    const [da, ma] = outputs(a.doc);
    const [db, mb] = outputs(b.doc);
    return da === db && ma === mb && (da === 'master' || ma === 'master');
  });
}

export const groupOutputs = outputs;
