/**
 * Attacks on a hibernating room (see `Room`: no Y.Doc while quiet, sockets stay open), replayed
 * against the real product (startMixroom on port 0, sessions from real invites, real y-websocket
 * clients and raw sockets). A hibernating room answers joiners from its kept state and judges
 * presence without its doc, so each check runs on that path: the attack is refused exactly as
 * in an awake room, nothing stored changes and, where the attack needs no doc, the room stays
 * asleep (a wake rebuilds the whole doc: an attacker must not be able to buy that for free).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readMixState } from '@mixroom/shared/model';
import { setMasterParam } from '@mixroom/shared/ops';
import { CLOSE_CODES, createOrigin, presenceUserOf, type Role, type RoomId } from '@mixroom/shared/protocol';
import { connectWithCookie, HttpUser, whenSocketSynced, type SocketClient } from '../integration/reviewHarness.ts';
import { waitFor } from '../integration/syncHarness.ts';
import { awarenessFrame, openRawSocket, probeSocket, startSecurityFixture, storedRoomFiles, type SecurityFixture } from './securityHarness.ts';

const HIBERNATE_MS = 150;
const MAX_MESSAGE_BYTES = 64 * 1024;

let fx: SecurityFixture;
const cleanup: Array<() => void> = [];
beforeAll(async () => {
  fx = await startSecurityFixture({ env: { ROOM_HIBERNATE_MS: String(HIBERNATE_MS), MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES) } });
});
afterEach(() => {
  for (const dispose of cleanup.splice(0)) dispose();
});
afterAll(() => fx?.close());

function client(user: HttpUser, doc: string = fx.roomId): SocketClient {
  const c = connectWithCookie(fx.product.url, doc, user.cookie);
  cleanup.push(() => c.destroy());
  return c;
}

async function memberOf(user: HttpUser): Promise<{ userId: string; name: string; role: Role }> {
  const me = await user.json<{ member: { userId: string; name: string; role: Role } }>('GET', fx.api('/me'));
  expect(me.status).toBe(200);
  return me.body.member;
}

async function isHibernating(doc: string = fx.roomId): Promise<boolean> {
  const lease = await fx.product.server.services.rooms.acquire(doc as RoomId);
  try {
    return lease.room.isHibernating;
  } finally {
    lease.release();
  }
}

async function untilHibernating(doc: string = fx.roomId): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await isHibernating(doc))) {
    if (Date.now() > deadline) throw new Error(`${doc} did not hibernate`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** How many times `doc` woke so far (the room logs each wake). */
const wakes = (doc: string = fx.roomId) => fx.product.lines.filter((l) => l.msg === 'room woke' && l.fields.roomId === doc).length;

/** Every stored file of a room (see storedRoomFiles). */
const storedFiles = (doc: string = fx.roomId) => storedRoomFiles(fx.product.dataDir, doc);

/**
 * Runs `attack` against the hibernating room and checks it stayed asleep and its stored files
 * are byte-identical afterwards.
 */
async function whileAsleep(attack: () => Promise<void>, doc: string = fx.roomId): Promise<void> {
  await untilHibernating(doc);
  const files = await storedFiles(doc);
  expect(files.size).toBeGreaterThan(0);
  const woke = wakes(doc);
  await attack();
  expect(await isHibernating(doc)).toBe(true);
  expect(wakes(doc)).toBe(woke);
  expect(await storedFiles(doc)).toEqual(files);
}

/** A raw socket with `cookie` (see openRawSocket). */
const rawSocket = (cookie: string, doc: string = fx.roomId) => openRawSocket(fx.product.url, doc, { cookie }, cleanup);

/** A real edit on top of the room's current state, as a client that synced would send it. */
async function realEdit(user: HttpUser): Promise<Uint8Array> {
  const reader = client(user);
  await whenSocketSynced(reader);
  const before = Y.encodeStateVector(reader.doc);
  const local = new Y.Doc();
  Y.applyUpdate(local, Y.encodeStateAsUpdate(reader.doc));
  setMasterParam(local, { param: 'gain', value: readMixState(local).master.gain - 7 }, createOrigin('local-user', 'attacker'));
  reader.destroy();
  return Y.encodeStateAsUpdate(local, before);
}

describe('a hibernating room', () => {
  it('refuses a foreign Origin (4403) and a socket without a session (4401) without waking', async () => {
    const keeper = client(fx.owner);
    await whenSocketSynced(keeper);
    await whileAsleep(async () => {
      for (const origin of ['http://evil.example', 'null']) {
        expect(await probeSocket(fx.product.url, fx.roomId, { cookie: fx.owner.cookie, origin })).toEqual({ code: CLOSE_CODES.forbiddenOrigin, reason: 'origin not allowed' });
      }
      expect((await probeSocket(fx.product.url, fx.roomId, {})).code).toBe(CLOSE_CODES.unauthorized);
      expect((await probeSocket(fx.product.url, fx.roomId, { cookie: `mixroom_session=${'A'.repeat(43)}` })).code).toBe(CLOSE_CODES.unauthorized);
      // The same session from our own page is let in, still without waking the room.
      expect((await probeSocket(fx.product.url, fx.roomId, { cookie: fx.owner.cookie })).code).toBe('synced');
    });
  });

  it("drops a reviewer's, a listener's and a demoted artist's edits with the read-only notice: nothing stored, no wake", async () => {
    const keeper = client(fx.owner);
    await whenSocketSynced(keeper);
    const gain = readMixState(keeper.doc).master.gain;
    const artist = await fx.member('artist', 'Ari');
    const artistId = (await memberOf(artist)).userId;
    const artistSocket = await rawSocket(artist.cookie);
    const readOnly = await Promise.all((['reviewer', 'listener'] as const).map(async (role) => fx.member(role)));
    const edit = await realEdit(fx.owner);
    await whileAsleep(async () => {
      for (const user of readOnly) {
        const raw = await rawSocket(user.cookie);
        const noticesAtJoin = raw.received.notices.length;
        raw.sendUpdate(edit);
        await raw.roundTrip();
        expect(raw.received.notices.length).toBe(noticesAtJoin + 1);
        expect(raw.open).toBe(true);
        // The real client does the same through the provider: dropped, told why.
        const real = client(user);
        await whenSocketSynced(real);
        setMasterParam(real.doc, { param: 'gain', value: gain + 3 }, createOrigin('local-user', user.label));
        await waitFor('read-only notice', () => real.notices.length >= 2);
      }
      // Demoted while the room sleeps: the next edit from its open socket is dropped.
      expect((await fx.owner.json('PATCH', fx.api(`/members/${artistId}`), { role: 'listener' })).status).toBe(200);
      await waitFor('demotion notice', () => artistSocket.received.notices.length > 0);
      artistSocket.sendUpdate(edit);
      await artistSocket.roundTrip();
      expect(artistSocket.received.notices.length).toBe(2);
    });
    expect(readMixState(keeper.doc).master.gain).toBe(gain);
    expect(await fx.product.server.services.rooms.withRoom(fx.roomId as RoomId, (doc) => readMixState(doc).master.gain)).toBe(gain);
  });

  it("an editor's write to the server-written review doc is dropped without waking it", async () => {
    const keeper = client(fx.owner, `${fx.roomId}~review`);
    await whenSocketSynced(keeper);
    const review = `${fx.roomId}~review`;
    const raw = await rawSocket(fx.owner.cookie, review);
    const forged = new Y.Doc();
    forged.getMap('comments').set('forged', 'approved by the artist');
    await whileAsleep(async () => {
      raw.sendUpdate(Y.encodeStateAsUpdate(forged));
      await raw.roundTrip();
      expect(raw.received.notices.length).toBe(1);
    }, review);
    expect(keeper.doc.getMap('comments').has('forged')).toBe(false);
  });

  it("stamps the server's identity on forged presence while asleep and after a wake; another socket's client id stays its own", async () => {
    const owner = client(fx.owner);
    const listenerUser = await fx.member('listener', 'Lee');
    const listener = client(listenerUser);
    await Promise.all([owner, listener].map(whenSocketSynced));
    const ownerMember = await memberOf(fx.owner);
    const listenerMember = await memberOf(listenerUser);
    const forged = { id: ownerMember.userId, name: ownerMember.name, role: 'owner', color: '#ff0000' };
    const seen = () => owner.provider.awareness.getStates().get(listener.doc.clientID) as { user?: unknown; gesture?: unknown; playhead?: { position: number } } | undefined;
    await whileAsleep(async () => {
      listener.provider.awareness.setLocalState({ user: forged, gesture: { target: 'master', param: 'gain', value: 6 }, playhead: { position: 1, playing: true, seq: 1 } });
      await waitFor('presence relayed while asleep', () => seen()?.playhead?.position === 1);
      expect(seen()?.user).toEqual(presenceUserOf(listenerMember));
      expect(seen()?.gesture).toBeNull();
      // A raw socket of the listener writes the owner's client id: dropped, the socket stays.
      const raw = await rawSocket(listenerUser.cookie);
      raw.ws.send(awarenessFrame([{ clientId: owner.doc.clientID, clock: 99, state: { user: forged, playhead: { position: 666, playing: false, seq: 9 } } }]));
      await raw.roundTrip();
      expect(raw.open).toBe(true);
      expect(listener.provider.awareness.getStates().get(owner.doc.clientID)?.playhead?.position).not.toBe(666);
    });
    // Wake the room with a real edit, then forge again.
    const woke = wakes();
    setMasterParam(owner.doc, { param: 'gain', value: readMixState(owner.doc).master.gain - 1 }, createOrigin('local-user', 'owner'));
    await waitFor('the edit woke the room', () => wakes() === woke + 1);
    listener.provider.awareness.setLocalState({ user: forged, playhead: { position: 2, playing: true, seq: 2 } });
    await waitFor('presence relayed after the wake', () => seen()?.playhead?.position === 2);
    expect(seen()?.user).toEqual(presenceUserOf(listenerMember));
  });

  it('closes (4401) the open sockets of a signed-out session and of a removed member while the room sleeps', async () => {
    const keeper = client(fx.owner);
    await whenSocketSynced(keeper);
    const engineer = await fx.member('engineer', 'Eve');
    const reviewer = await fx.member('reviewer', 'Rex');
    const reviewerId = (await memberOf(reviewer)).userId;
    const engineerSocket = await rawSocket(engineer.cookie);
    const engineerReview = await rawSocket(engineer.cookie, `${fx.roomId}~review`);
    const reviewerSocket = await rawSocket(reviewer.cookie);
    const edit = await realEdit(engineer);
    await whileAsleep(async () => {
      expect((await engineer.json('DELETE', '/api/sessions/current')).status).toBe(200);
      // An edit sent right after the sign-out is never applied: frames wait for the recheck.
      engineerSocket.sendUpdate(edit);
      expect(await engineerSocket.closed).toBe(CLOSE_CODES.unauthorized);
      expect(await engineerReview.closed).toBe(CLOSE_CODES.unauthorized);
      expect((await fx.owner.json('DELETE', fx.api(`/members/${reviewerId}`))).status).toBe(200);
      expect(await reviewerSocket.closed).toBe(CLOSE_CODES.unauthorized);
      // The signed-out cookie no longer opens a socket.
      expect((await probeSocket(fx.product.url, fx.roomId, { cookie: engineer.cookie })).code).toBe(CLOSE_CODES.unauthorized);
    });
  });

  it('refuses an oversized frame (4413) without waking or storing', async () => {
    const keeper = client(fx.owner);
    await whenSocketSynced(keeper);
    const big = await rawSocket(fx.owner.cookie);
    await whileAsleep(async () => {
      const pad = new Y.Doc();
      pad.getMap('probe').set('pad', 'x'.repeat(MAX_MESSAGE_BYTES));
      big.sendUpdate(Y.encodeStateAsUpdate(pad));
      expect(await big.closed).toBe(CLOSE_CODES.messageTooLarge);
    });
    expect(keeper.provider.wsconnected).toBe(true);
  });
});
