/**
 * Attacks on the sync socket with SYNC_SHARDS=2, replayed against the real product (startMixroom
 * on port 0, rooms in two real shard processes, sessions from real invites, real y-websocket
 * clients and raw sockets). The primary admits a socket (admitSyncSocket, as one process does)
 * and hands it to its room's shard, which runs the room code of one process: every attack must
 * end exactly as it does there (see presence.test.ts, hibernation.test.ts, socketOrigin.test.ts),
 * whichever shard owns the room, and must not take the shard or its other rooms down.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { readMixState } from '@mixroom/shared/model';
import { readRemoteGestures, setMasterParam } from '@mixroom/shared/ops';
import { CLOSE_CODES, createOrigin, MESSAGE_TYPES, presenceUserOf, type Role, type RoomId } from '@mixroom/shared/protocol';
import { shardOf } from '../../server/src/sync/shards/shardOf.ts';
import type { SyncShards } from '../../server/src/sync/shards/SyncShards.ts';
import { connectWithCookie, HttpUser, whenSocketSynced, type SocketClient } from '../integration/reviewHarness.ts';
import { waitFor } from '../integration/syncHarness.ts';
import { awarenessFrame, openRawSocket, probeSocket, startSecurityFixture, type SecurityFixture } from './securityHarness.ts';

const SHARDS = 2;
const MAX_MESSAGE_BYTES = 64 * 1024;
const MAX_SOCKETS_PER_USER = 6;
let fx: SecurityFixture;
let shards: SyncShards;
/** Two rooms per shard: rooms[shard][0..1]. */
const rooms: string[][] = [[], []];
const cleanup: Array<() => void> = [];

beforeAll(async () => {
  fx = await startSecurityFixture({
    env: {
      SYNC_SHARDS: String(SHARDS),
      MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES),
      MAX_SOCKETS_PER_USER: String(MAX_SOCKETS_PER_USER),
      RATE_ROOMS: '200/1h,200/1h',
      RATE_JOINS: '200/1h,200/1h',
    },
  });
  shards = fx.product.server.services.docs as SyncShards;
  rooms[shardOf(fx.roomId, SHARDS)]!.push(fx.roomId);
  // Room ids are random: make rooms until both shards own two.
  while (rooms.some((r) => r.length < 2)) {
    const made = await fx.owner.json<{ room: { roomId: string } }>('POST', '/api/rooms', { title: 'Shard room', displayName: 'Olive' });
    expect(made.status).toBe(201);
    rooms[shardOf(made.body.room.roomId, SHARDS)]!.push(made.body.room.roomId);
  }
});
afterEach(() => {
  for (const dispose of cleanup.splice(0)) dispose();
});
afterAll(() => fx?.close());

function client(user: HttpUser, doc: string): SocketClient {
  const c = connectWithCookie(fx.product.url, doc, user.cookie);
  cleanup.push(() => c.destroy());
  return c;
}

const rawSocket = (user: HttpUser, doc: string) => openRawSocket(fx.product.url, doc, { cookie: user.cookie, origin: fx.product.url }, cleanup);

/** A user who joined `room` through a fresh invite for `role`. */
async function member(room: string, role: Exclude<Role, 'owner'>, name: string): Promise<{ user: HttpUser; member: { userId: string; name: string; role: Role } }> {
  const invite = await fx.owner.json<{ token: string }>('POST', `/api/rooms/${room}/invites`, { role, ttlHours: 1 });
  expect(invite.status).toBe(201);
  const user = new HttpUser(fx.product.url, name);
  const joined = await user.json<{ member: { userId: string; name: string; role: Role } }>('POST', `/api/invites/${invite.body.token}/join`, { displayName: name });
  expect(joined.status).toBe(200);
  return { user, member: joined.body.member };
}

/** A y-websocket update frame of exactly `bytes` bytes: a valid edit whose string fills it. */
function updateFrameOfSize(bytes: number): Uint8Array {
  let pad = bytes - 64;
  for (;;) {
    const doc = new Y.Doc();
    doc.getMap('big').set('pad', 'p'.repeat(pad));
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MESSAGE_TYPES.sync);
    syncProtocol.writeUpdate(e, Y.encodeStateAsUpdate(doc));
    const frame = encoding.toUint8Array(e);
    if (frame.byteLength === bytes) return frame;
    pad += bytes - frame.byteLength;
  }
}

/** The mix of `room` as the server holds it (through its shard). */
const storedProbe = (room: string) => fx.product.server.services.docs.withRoom(room as RoomId, (doc) => doc.getMap('probe').toJSON());

describe.each([0, 1])('through shard %i', (shard) => {
  it('refuses a foreign Origin (4403), no session (4401), a bad room id (4404), past the socket cap (4429), in the primary', async () => {
    const room = rooms[shard]![0]!;
    expect(await probeSocket(fx.product.url, room, { cookie: fx.owner.cookie, origin: 'https://evil.example' })).toEqual({ code: CLOSE_CODES.forbiddenOrigin, reason: 'origin not allowed' });
    expect((await probeSocket(fx.product.url, room, { origin: fx.product.url })).code).toBe(CLOSE_CODES.unauthorized);
    // A session of someone who is not a member of the room.
    expect((await probeSocket(fx.product.url, room, { cookie: new HttpUser(fx.product.url, 'x').cookie })).code).toBe(CLOSE_CODES.unauthorized);
    expect((await probeSocket(fx.product.url, `${room}~nope`, { cookie: fx.owner.cookie })).code).toBe(CLOSE_CODES.invalidRoomId);
    expect((await probeSocket(fx.product.url, room, { cookie: fx.owner.cookie })).code).toBe('synced');

    // A user's sockets count across shards: the cap is the primary's, as in one process.
    const { user } = await member(room, 'engineer', `Cap ${shard}`);
    const other = rooms[1 - shard]![0]!;
    const invite = await fx.owner.json<{ token: string }>('POST', `/api/rooms/${other}/invites`, { role: 'engineer', ttlHours: 1 });
    expect((await user.json('POST', `/api/invites/${invite.body.token}/join`, { displayName: `Cap ${shard}` })).status).toBe(200);
    const half = MAX_SOCKETS_PER_USER / 2;
    const open = await Promise.all(Array.from({ length: MAX_SOCKETS_PER_USER }, (_, i) => rawSocket(user, i < half ? room : other)));
    expect(open.every((s) => s.open)).toBe(true);
    const probe = () => probeSocket(fx.product.url, room, { cookie: user.cookie, origin: fx.product.url });
    expect((await probe()).code).toBe(CLOSE_CODES.tooManyConnections);
    // A slot frees once a socket closes in its shard (the other one's).
    open[half]!.ws.close();
    await open[half]!.closed;
    await expect.poll(async () => (await probe()).code).toBe('synced');
  });

  it("a listener's writes are dropped in the shard with the read-only notice", async () => {
    const room = rooms[shard]![0]!;
    const { user } = await member(room, 'listener', `Lee ${shard}`);
    const listener = client(user, room);
    await whenSocketSynced(listener);
    await waitFor('read-only notice', () => listener.notices.includes('listener'));
    const notices = listener.notices.length;
    listener.doc.getMap('probe').set(`listener-${shard}`, true);
    // Dropped in the shard, which says so again (the read-only notice).
    await waitFor('refused write answered', () => listener.notices.length > notices);
    const raw = await rawSocket(user, room);
    raw.sendUpdate(Y.encodeStateAsUpdate(listener.doc));
    await raw.roundTrip();
    expect(raw.open).toBe(true);
    expect(await storedProbe(room)).not.toHaveProperty(`listener-${shard}`);
  });

  it('closes a frame one byte over MAX_MESSAGE_BYTES with 4413 and takes one at the limit, as one process does', async () => {
    const room = rooms[shard]![0]!;
    const atLimit = await rawSocket(fx.owner, room);
    atLimit.ws.send(updateFrameOfSize(MAX_MESSAGE_BYTES));
    await atLimit.roundTrip();
    expect(atLimit.open).toBe(true);
    const stored = await fx.product.server.services.docs.withRoom(room as RoomId, (doc) => String(doc.getMap('big').get('pad')).length);
    expect(stored).toBeGreaterThan(MAX_MESSAGE_BYTES - 100);

    const over = await rawSocket(fx.owner, room);
    over.ws.send(updateFrameOfSize(MAX_MESSAGE_BYTES + 1));
    expect(await over.closed).toBe(CLOSE_CODES.messageTooLarge);
    // Past twice the limit `ws` stops reading the frame as it streams in (1009), as in one process.
    const huge = await rawSocket(fx.owner, room);
    huge.ws.send(new Uint8Array(2 * MAX_MESSAGE_BYTES + 1));
    expect(await huge.closed).toBe(1009);
  });

  it("stamps the server's identity on forged presence; another user's client id is not written", async () => {
    const room = rooms[shard]![1]!;
    const owner = client(fx.owner, room);
    const { user, member: listenerMember } = await member(room, 'listener', `Forger ${shard}`);
    const listener = client(user, room);
    await Promise.all([owner, listener].map(whenSocketSynced));
    const me = await fx.owner.json<{ member: { userId: string; name: string } }>('GET', `/api/rooms/${room}/me`);
    const forged = { id: me.body.member.userId, name: me.body.member.name, role: 'owner', color: '#ff0000' };
    const gain = readMixState(owner.doc).master.gain;
    listener.provider.awareness.setLocalState({ user: forged, gesture: { target: 'master', param: 'gain', value: gain + 6 }, playhead: { position: 42, playing: true, seq: 1 } });
    const seen = () => owner.provider.awareness.getStates().get(listener.doc.clientID);
    await waitFor('presence relayed', () => seen()?.playhead?.position === 42);
    expect(seen()?.user).toEqual(presenceUserOf(listenerMember));
    expect(seen()?.gesture).toBeNull();
    expect(readRemoteGestures(owner.provider.awareness).size).toBe(0);

    // A raw socket of the listener writes (and then removes) the owner's client id: dropped,
    // the socket stays open.
    owner.provider.awareness.setLocalState({ touching: 'master:master:gain' });
    await waitFor('listener sees the owner', () => listener.provider.awareness.getStates().get(owner.doc.clientID)?.touching === 'master:master:gain');
    const raw = await rawSocket(user, room);
    raw.ws.send(awarenessFrame([{ clientId: owner.doc.clientID, clock: 1000, state: { user: forged, touching: 'evil' } }]));
    raw.ws.send(awarenessFrame([{ clientId: owner.doc.clientID, clock: 1001, state: null }]));
    await raw.roundTrip();
    expect(raw.open).toBe(true);
    // Another socket of the listener sees what the room holds for that id: still the owner's.
    const witness = await rawSocket(user, room);
    const held = witness.received.entries.filter((e) => e.clientId === owner.doc.clientID);
    expect(held.map((e) => (e.state as { touching?: string } | null)?.touching)).toEqual(['master:master:gain']);
    expect(listener.provider.awareness.getStates().get(owner.doc.clientID)?.touching).toBe('master:master:gain');
  });

  it('a malformed frame closes only its socket: the shard lives on and no room of it loses data', async () => {
    const [room, neighbour] = rooms[shard] as [string, string];
    const process_ = shards.processes[shard]!;
    const { pid, restarts } = { pid: process_.pid, restarts: process_.restarts };
    const keeper = client(fx.owner, room);
    const next = client(fx.owner, neighbour);
    await Promise.all([keeper, next].map(whenSocketSynced));
    keeper.doc.getMap('probe').set(`kept-${shard}`, 'before');
    next.doc.getMap('probe').set(`kept-${shard}`, 'next door');
    await expect.poll(() => storedProbe(room)).toMatchObject({ [`kept-${shard}`]: 'before' });
    await expect.poll(() => storedProbe(neighbour)).toMatchObject({ [`kept-${shard}`]: 'next door' });
    const storedGain = () => fx.product.server.services.docs.withRoom(room as RoomId, (doc) => readMixState(doc).master.gain);
    const before = { room: await storedProbe(room), neighbour: await storedProbe(neighbour), gain: await storedGain() };

    const edit = new Y.Doc();
    Y.applyUpdate(edit, Y.encodeStateAsUpdate(keeper.doc));
    const vector = Y.encodeStateVector(edit);
    setMasterParam(edit, { param: 'gain', value: readMixState(edit).master.gain - 5 }, createOrigin('local-user', 'attacker'));
    edit.getMap('probe').delete(`kept-${shard}`);
    const realEdit = Y.encodeStateAsUpdate(edit, vector);
    const attacks: Array<{ what: string; send: (raw: Awaited<ReturnType<typeof rawSocket>>) => void; code: number }> = [
      { what: 'unknown message type', send: (raw) => raw.ws.send(Uint8Array.of(99, 1, 2)), code: CLOSE_CODES.badMessage },
      { what: 'text frame', send: (raw) => raw.ws.send('hello'), code: CLOSE_CODES.badMessage },
      { what: 'truncated sync message', send: (raw) => raw.ws.send(Uint8Array.of(MESSAGE_TYPES.sync, 2, 200, 1)), code: CLOSE_CODES.badMessage },
      { what: 'bad state vector', send: (raw) => raw.ws.send(Uint8Array.of(MESSAGE_TYPES.sync, 0, 3, 0xff, 0xff, 0xff)), code: CLOSE_CODES.badMessage },
      { what: 'malformed awareness', send: (raw) => raw.ws.send(Uint8Array.of(MESSAGE_TYPES.awareness, 4, 1, 2, 3, 0xff)), code: CLOSE_CODES.badMessage },
      // A struct header claiming a million structs from a client, then nothing.
      { what: 'garbage update', send: (raw) => raw.sendUpdate(Uint8Array.of(1, 0xc0, 0x84, 0x3d, 7, 0)), code: CLOSE_CODES.updateRejected },
      // A real edit cut short in its delete set: its structs are new, the rest unreadable.
      { what: 'truncated update', send: (raw) => raw.sendUpdate(realEdit.subarray(0, realEdit.byteLength - 1)), code: CLOSE_CODES.updateRejected },
    ];
    for (const attack of attacks) {
      const raw = await rawSocket(fx.owner, room);
      attack.send(raw);
      expect(await raw.closed, attack.what).toBe(attack.code);
    }
    // The shard process is the same one, and both its rooms hold exactly what they held.
    expect({ pid: process_.pid, restarts: process_.restarts }).toEqual({ pid, restarts });
    expect(keeper.provider.wsconnected && next.provider.wsconnected).toBe(true);
    expect(await storedProbe(room)).toEqual(before.room);
    expect(await storedProbe(neighbour)).toEqual(before.neighbour);
    expect(await storedGain()).toBe(before.gain);
    const joiner = client(fx.owner, room);
    await whenSocketSynced(joiner);
    expect(joiner.doc.getMap('probe').get(`kept-${shard}`)).toBe('before');
    expect(readMixState(joiner.doc).master.gain).toBe(before.gain);
    expect(readMixState(keeper.doc).master.gain).toBe(before.gain);
    // And it still relays.
    next.doc.getMap('probe').set(`after-${shard}`, 1);
    await expect.poll(() => storedProbe(neighbour)).toMatchObject({ [`after-${shard}`]: 1 });
  });
});
