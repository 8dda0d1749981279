/**
 * Unreadable document updates (a real edit cut short at every length, and a struct header
 * with nothing behind it) sent to an awake room and to a hibernating one, on the real product
 * (startMixroom on port 0, sessions from real invites, a real y-websocket client beside raw
 * sockets). Both must refuse them the same way: 4422, nothing of the update applied, relayed
 * or stored, and (asleep) without a wake. Yjs integrates an update's structs before it reads
 * its delete set, so an awake room used to keep the first part of a truncated edit.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readMixState } from '@mixroom/shared/model';
import { setMasterParam } from '@mixroom/shared/ops';
import { CLOSE_CODES, createOrigin, type RoomId } from '@mixroom/shared/protocol';
import { connectWithCookie, whenSocketSynced, type SocketClient } from '../integration/reviewHarness.ts';
import { openRawSocket, startSecurityFixture, storedRoomFiles, type SecurityFixture } from './securityHarness.ts';

/** `Y.decodeUpdate` reads the whole update: what it refuses no room may apply any of. */
function decodes(update: Uint8Array): boolean {
  try {
    Y.decodeUpdate(update);
    return true;
  } catch {
    return false;
  }
}

describe.each([
  { state: 'awake', hibernateMs: 0 },
  { state: 'hibernating', hibernateMs: 150 },
])('an $state room', ({ state, hibernateMs }) => {
  let fx: SecurityFixture;
  const cleanup: Array<() => void> = [];
  beforeAll(async () => {
    fx = await startSecurityFixture({ env: { ROOM_HIBERNATE_MS: String(hibernateMs) } });
  });
  afterEach(() => {
    for (const dispose of cleanup.splice(0)) dispose();
  });
  afterAll(() => fx?.close());

  const client = (): SocketClient => {
    const c = connectWithCookie(fx.product.url, fx.roomId, fx.owner.cookie);
    cleanup.push(() => c.destroy());
    return c;
  };
  const room = async () => {
    const lease = await fx.product.server.services.rooms.acquire(fx.roomId as RoomId);
    lease.release();
    return lease.room;
  };
  const wakes = () => fx.product.lines.filter((l) => l.msg === 'room woke' && l.fields.roomId === fx.roomId).length;

  it('refuses an unreadable update with 4422: nothing of it applied, relayed or stored', async () => {
    const keeper = client();
    await whenSocketSynced(keeper);
    keeper.doc.getMap('probe').set('kept', 'before');
    await expect.poll(() => fx.product.server.services.docs.withRoom(fx.roomId as RoomId, (doc) => doc.getMap('probe').get('kept'))).toBe('before');
    // A real edit on top of the room's state: a fader move and a deletion (structs, then a
    // delete set), as a synced client would send it.
    const local = new Y.Doc();
    Y.applyUpdate(local, Y.encodeStateAsUpdate(keeper.doc));
    const vector = Y.encodeStateVector(local);
    const gain = readMixState(local).master.gain;
    local.transact(() => {
      setMasterParam(local, { param: 'gain', value: gain - 7 }, createOrigin('local-user', 'attacker'));
      local.getMap('probe').delete('kept');
    });
    const edit = Y.encodeStateAsUpdate(local, vector);
    const unreadable: Uint8Array[] = [Uint8Array.of(1, 0xc0, 0x84, 0x3d, 7, 0)];
    for (let cut = 1; cut < edit.byteLength; cut++) unreadable.push(edit.subarray(0, edit.byteLength - cut));
    const attacks = unreadable.filter((u) => !decodes(u));
    // Nearly every cut leaves an update that does not decode (the first cuts are the delete set's).
    expect(attacks.length).toBeGreaterThan(edit.byteLength / 2);

    if (state === 'hibernating') await expect.poll(async () => (await room()).isHibernating, { timeout: 15_000 }).toBe(true);
    else expect((await room()).isHibernating).toBe(false);
    const files = await storedRoomFiles(fx.product.dataDir, fx.roomId);
    const woke = wakes();
    const relayed: Uint8Array[] = [];
    keeper.doc.on('update', (u: Uint8Array) => relayed.push(u));
    for (const update of attacks) {
      const raw = await openRawSocket(fx.product.url, fx.roomId, { cookie: fx.owner.cookie }, cleanup);
      raw.sendUpdate(update);
      expect(await raw.closed, `${update.byteLength} of ${edit.byteLength} bytes`).toBe(CLOSE_CODES.updateRejected);
    }

    expect(relayed).toEqual([]);
    expect(await storedRoomFiles(fx.product.dataDir, fx.roomId)).toEqual(files);
    // Asleep, garbage is judged from the kept state: no wake for it.
    if (state === 'hibernating') expect([(await room()).isHibernating, wakes()]).toEqual([true, woke]);
    const stored = await fx.product.server.services.docs.withRoom(fx.roomId as RoomId, (doc) => ({ gain: readMixState(doc).master.gain, kept: doc.getMap('probe').get('kept') }));
    expect(stored).toEqual({ gain, kept: 'before' });
    // The whole edit still applies afterwards: nothing half-applied stands in its way.
    const raw = await openRawSocket(fx.product.url, fx.roomId, { cookie: fx.owner.cookie }, cleanup);
    raw.sendUpdate(edit);
    await raw.roundTrip();
    await expect.poll(() => readMixState(keeper.doc).master.gain).toBe(gain - 7);
    expect(keeper.doc.getMap('probe').has('kept')).toBe(false);
  });
});
