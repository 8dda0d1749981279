/**
 * The growth attack on a room's document, replayed against the real product (startMixroom on
 * port 0, sessions from real invites, real y-websocket peers): an engineer sends frame after
 * frame of valid updates, each well under the frame limit, that only make the doc bigger. At
 * MAX_ROOM_BYTES the server refuses the update with 4413 and a reason naming the limit; the
 * stored files do not change; the owner keeps editing, a deletion is accepted even in a full
 * room and frees space for new edits; a restart on the same folder loads the room. The review
 * document (comments, versions: written by the server for HTTP requests) is held to the same
 * limit: a comment that does not fit is refused with 413 `room-full`.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createOrigin, readRoomFullLimit, roomFullReason } from '@mixroom/shared/protocol';
import { getTrackMap, readMixState } from '@mixroom/shared/model';
import { addTrack, setTrackParam } from '@mixroom/shared/ops';
import { reviewDocName } from '@mixroom/shared/review';
import { roomFullMessage } from '../../client/src/mix/sync/roomFullMessage.ts';
import { startMixroom, type RunningMixroom } from '../../server/src/startMixroom.ts';
import { connectWithCookie, HttpUser, whenSocketSynced, type SocketClient } from '../integration/reviewHarness.ts';
import { createMemoryLogger, makeTempDir, waitFor, type LogLine } from '../integration/syncHarness.ts';

const LIMIT = 1024 * 1024;
/** One attack frame: a fresh 16 KiB string under a fresh key (valid Yjs, 1/512 of the frame cap). */
const CHUNK = 16 * 1024;
const ROOM_FULL = 4413;

let dir: { path: string; remove(): Promise<void> };
let product: RunningMixroom;
let roomId: string;
let owner: HttpUser;
let engineer: HttpUser;
let observer: SocketClient;
const clients: SocketClient[] = [];
const lines: LogLine[] = [];
let commentsBeforeRestart = -1;

async function start(): Promise<RunningMixroom> {
  return startMixroom({
    env: {
      PORT: '0',
      DATA_DIR: `${dir.path}/data`,
      S3_DATA_DIR: `${dir.path}/s3`,
      S3_EMBEDDED_PORT: '0',
      CLIENT_DIST_DIR: `${dir.path}/no-client`,
      MAX_ROOM_BYTES: String(LIMIT),
      // Fills the review doc with hundreds of comments in seconds (comments.test.ts holds the rate).
      RATE_COMMENTS: '10000/1m,10000/1m',
    },
    logger: createMemoryLogger(lines),
    seedDemo: false,
    bakeWorkers: 1,
  });
}

function connect(user: HttpUser): SocketClient {
  const client = connectWithCookie(product.url, roomId, user.cookie);
  clients.push(client);
  return client;
}

/** Close codes and reasons a client's sockets ended with. */
function closesOf(client: SocketClient): Array<{ code: number; reason: string }> {
  const closes: Array<{ code: number; reason: string }> = [];
  client.provider.on('connection-close', (event) => {
    if (event) closes.push({ code: event.code, reason: event.reason });
  });
  return closes;
}

/** sha256 of every file the store holds for `doc` (its snapshot and log) and of the node's WAL. */
async function storedFiles(doc: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const sub of [join('rooms', doc), 'wal']) {
    const base = join(dir.path, 'data', sub);
    for (const name of (await readdir(base)).sort()) {
      out[join(sub, name)] = createHash('sha256').update(await readFile(join(base, name))).digest('hex');
    }
  }
  return out;
}

/** The stored files once two reads 300 ms apart agree (an accepted update may still be compacting). */
async function settledFiles(doc = roomId): Promise<Record<string, string>> {
  let last = await storedFiles(doc);
  for (;;) {
    await new Promise((r) => setTimeout(r, 300));
    const now = await storedFiles(doc);
    if (JSON.stringify(now) === JSON.stringify(last)) return now;
    last = now;
  }
}

beforeAll(async () => {
  dir = await makeTempDir('mixroom-roomsize-');
  product = await start();
  owner = new HttpUser(product.url, 'owner');
  const created = await owner.json<{ room: { roomId: string } }>('POST', '/api/rooms', { title: 'Big Room', displayName: 'Olive' });
  expect(created.status).toBe(201);
  roomId = created.body.room.roomId;
  const invite = await owner.json<{ token: string }>('POST', `/api/rooms/${roomId}/invites`, { role: 'engineer', ttlHours: 24 });
  engineer = new HttpUser(product.url, 'Eve');
  expect((await engineer.json('POST', `/api/invites/${invite.body.token}/join`, { displayName: 'Eve' })).status).toBe(200);
  observer = connect(owner);
  await whenSocketSynced(observer);
  addTrack(observer.doc, { name: 'Kick', stem: null, id: 'kick' }, createOrigin('local-user', 'olive'));
}, 60_000);

afterAll(async () => {
  for (const client of clients) client.destroy();
  await product?.close();
  await dir?.remove();
});

describe('a room at its size limit', () => {
  let attacker: SocketClient;
  let attackerCloses: Array<{ code: number; reason: string }>;
  let accepted = 0;

  it('refuses the update that would take it past MAX_ROOM_BYTES with 4413 naming the limit', async () => {
    attacker = connect(engineer);
    attackerCloses = closesOf(attacker);
    await whenSocketSynced(attacker);
    const junk = attacker.doc.getMap<string>('junk');
    // One frame at a time, each seen by the observer (so durable) before the next is sent.
    for (let i = 0; i < (2 * LIMIT) / CHUNK && attackerCloses.length === 0; i++) {
      junk.set(`k${i}`, String.fromCharCode(97 + (i % 26)).repeat(CHUNK));
      await waitFor('the chunk relayed or refused', () => observer.doc.getMap('junk').has(`k${i}`) || attackerCloses.length > 0);
      if (observer.doc.getMap('junk').has(`k${i}`)) accepted += 1;
    }
    expect(attackerCloses).toEqual([{ code: ROOM_FULL, reason: roomFullReason(LIMIT) }]);
    // Close to the limit, not past it: the refused chunk would have taken it over (give or
    // take the updates' headers, which the room counts until it measures its doc again).
    const stored = Y.encodeStateAsUpdate(observer.doc).byteLength;
    expect(stored).toBeLessThanOrEqual(LIMIT);
    expect(stored + CHUNK + 4096).toBeGreaterThan(LIMIT);
    expect(accepted).toBeGreaterThan(LIMIT / CHUNK - 4);
    // A permanent close: the y-websocket client does not come back to resend it.
    await new Promise((r) => setTimeout(r, 500));
    expect(attacker.provider.wsconnected).toBe(false);
    expect(attackerCloses).toHaveLength(1);
    // What the client shows for that reason.
    expect(roomFullMessage(readRoomFullLimit(attackerCloses[0]!.reason)!)).toMatch(/^this room has reached its size limit \(1 MiB\)/);
  }, 120_000);

  it('stores nothing of a refused update: the room files are byte-identical before and after', async () => {
    const before = await settledFiles();
    const again = connect(engineer);
    const closes = closesOf(again);
    await whenSocketSynced(again);
    again.doc.getMap<string>('junk').set('more', 'z'.repeat(CHUNK));
    await waitFor('refused', () => closes.length > 0);
    expect(closes[0]!.code).toBe(ROOM_FULL);
    expect(await settledFiles()).toEqual(before);
    expect(observer.doc.getMap('junk').has('more')).toBe(false);
  }, 60_000);

  it('keeps the room working for everyone else: a deletion is accepted when full and frees space for edits', async () => {
    const watcher = connect(owner);
    await whenSocketSynced(watcher);
    expect(watcher.doc.getMap('junk').size).toBe(accepted);
    // The owner, in the full room, deletes what the attack wrote: always accepted.
    observer.doc.transact(() => {
      for (const key of [...observer.doc.getMap('junk').keys()]) observer.doc.getMap('junk').delete(key);
    });
    await waitFor('deletions relayed', () => watcher.doc.getMap('junk').size === 0);
    setTrackParam(observer.doc, { trackId: 'kick', param: 'gain', value: -6 }, createOrigin('local-user', 'olive'));
    await waitFor('fader relayed', () => readMixState(watcher.doc).tracks.find((t) => t.id === 'kick')?.gain === -6);
    // And the engineer, on a fresh socket, edits again now there is room.
    const back = connect(engineer);
    const closes = closesOf(back);
    await whenSocketSynced(back);
    (getTrackMap(back.doc, 'kick') as Y.Map<unknown>).set('name', 'Kick In');
    await waitFor('rename relayed', () => readMixState(watcher.doc).tracks.find((t) => t.id === 'kick')?.name === 'Kick In');
    expect(closes).toEqual([]);
    expect(observer.provider.wsconnected).toBe(true);
  }, 60_000);

  it('holds the review document (comments, versions) to the limit too: 413 room-full, nothing stored, deleting comments makes room', async () => {
    const text = 'c'.repeat(2000);
    const comment = () => owner.json<{ comment: { id: string }; error: { code: string; message: string } }>('POST', `/api/rooms/${roomId}/comments`, { at: 1, text });
    const posted: string[] = [];
    let refused: Awaited<ReturnType<typeof comment>> | null = null;
    while (refused === null && posted.length < 2000) {
      const res = await comment();
      if (res.status === 201) posted.push(res.body.comment.id);
      else refused = res;
    }
    expect(refused?.status).toBe(413);
    expect(refused?.body.error.code).toBe('room-full');
    expect(refused?.body.error.message).toMatch(/size limit \(1 MiB\).*delete old comments/);
    // ~2.2 KB a comment: the review document filled up to about the limit, not far short of it.
    expect(posted.length).toBeGreaterThan(LIMIT / 2400);
    const before = await settledFiles(reviewDocName(roomId));
    expect((await comment()).status).toBe(413);
    expect(await settledFiles(reviewDocName(roomId))).toEqual(before);
    // The mix is another document: still editable.
    setTrackParam(observer.doc, { trackId: 'kick', param: 'gain', value: -3 }, createOrigin('local-user', 'olive'));
    await waitFor('fader stored', () => readMixState(observer.doc).tracks.find((t) => t.id === 'kick')?.gain === -3);
    for (const id of posted.splice(0, 5)) expect((await owner.request('DELETE', `/api/rooms/${roomId}/comments/${id}`)).status).toBe(204);
    // The room measures itself again once the last measure's idle time is over (a few ms here).
    let status = 0;
    for (let i = 0; i < 200 && status !== 201; i++) {
      const res = await comment();
      status = res.status;
      if (status === 201) posted.push(res.body.comment.id);
      else await new Promise((r) => setTimeout(r, 50));
    }
    expect(status).toBe(201);
    commentsBeforeRestart = posted.length;
  }, 180_000);

  it('loads the room after a restart', async () => {
    const comments = await owner.json<{ comments: unknown[] }>('GET', `/api/rooms/${roomId}/comments`);
    expect(comments.body.comments).toHaveLength(commentsBeforeRestart);
    const expected = readMixState(observer.doc);
    for (const client of clients.splice(0)) client.destroy();
    await product.close();
    product = await start();
    owner.base = product.url;
    const reader = connect(owner);
    await whenSocketSynced(reader);
    expect(readMixState(reader.doc)).toEqual(expected);
    expect(reader.doc.getMap('junk').size).toBe(0);
    const reloaded = await owner.json<{ comments: unknown[] }>('GET', `/api/rooms/${roomId}/comments`);
    expect(reloaded.body.comments).toHaveLength(commentsBeforeRestart);
  }, 60_000);
});
