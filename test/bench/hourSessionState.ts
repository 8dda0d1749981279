import * as Y from 'yjs';
import { initMixDoc } from '@mixroom/shared/model';
import { addTrack, setTrackParam } from '@mixroom/shared/ops';
import { createOrigin } from '@mixroom/shared/protocol';

/**
 * 10 people taking turns on 8 track faders, 3 commits a second each: over an hour the state
 * is about the size the issue measured for its 1-hour room (652 KB as a Yjs V1 update).
 */
const PEOPLE = 10;
const COMMITS_PER_SECOND_EACH = 3;
const TRACKS = 8;

/**
 * The stored state (Yjs V1) of a room after `seconds` of that load, one commit per write, as
 * the server's document would have merged them. Deterministic (fixed client ids and values),
 * so runs compare.
 */
export function hourSessionState(seconds = 3600): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = 1;
  initMixDoc(doc, { title: 'One hour', sampleRate: 48000 });
  const server = createOrigin('server', 'bench');
  const trackIds = Array.from({ length: TRACKS }, (_, i) => addTrack(doc, { name: `Track ${i + 1}`, stem: null, id: `t${i}` }, server));
  const origins = Array.from({ length: PEOPLE }, (_, i) => createOrigin('remote', `person${i}`));
  const commits = seconds * COMMITS_PER_SECOND_EACH * PEOPLE;
  for (let n = 0; n < commits; n++) {
    const person = n % PEOPLE;
    // Each person is a client of their own: their writes carry their client id.
    doc.clientID = 100 + person;
    const value = -30 + ((n * 7919) % 3000) / 100;
    setTrackParam(doc, { trackId: trackIds[(n >> 3) % TRACKS]!, param: 'gain', value }, origins[person]!);
  }
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return state;
}
