import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpUser } from '../integration/reviewHarness.ts';
import { startSecurityFixture, type SecurityFixture } from './securityHarness.ts';

/**
 * `GET /api/rooms/:room/access` answers anyone (the app asks it on every load), so it must
 * tell a stranger nothing about a private room: not its title, not whether it exists, not who
 * is in it, and nothing to another site's script.
 */
let fx: SecurityFixture;
beforeAll(async () => {
  fx = await startSecurityFixture();
});
afterAll(() => fx?.close());

interface Access {
  roomId: string;
  member: { userId: string; role: string; name: string } | null;
  open: boolean;
  title: string | null;
}

const access = (user: HttpUser, roomId: string) => user.json<Access>('GET', `/api/rooms/${roomId}/access`);
/** A well-formed room id that no room has. */
const unusedRoomId = () => `r${Date.now().toString(36)}unused`;

describe('room access (what a first visit may learn)', () => {
  it('a stranger gets the same answer for a private room as for a room that does not exist', async () => {
    const stranger = new HttpUser(fx.product.url, 'stranger');
    const real = await access(stranger, fx.roomId);
    const none = await access(stranger, unusedRoomId());
    expect(real.status).toBe(200);
    expect(none.status).toBe(200);
    expect(real.body).toEqual({ roomId: fx.roomId, member: null, open: false, title: null });
    expect({ ...none.body, roomId: fx.roomId }).toEqual(real.body);
  });

  it("a member of one room learns nothing of another owner's room", async () => {
    const other = new HttpUser(fx.product.url, 'other owner');
    const created = await other.json<{ room: { roomId: string } }>('POST', '/api/rooms', { title: 'Secret Sessions', displayName: 'Otto' });
    expect(created.status).toBe(201);
    const mine = await access(other, created.body.room.roomId);
    expect(mine.body).toMatchObject({ member: { role: 'owner' }, title: 'Secret Sessions' });
    const theirs = await access(fx.owner, created.body.room.roomId);
    expect(theirs.body).toEqual({ roomId: created.body.room.roomId, member: null, open: false, title: null });
  });

  it('a removed member loses the title at once', async () => {
    const eng = await fx.member('engineer', 'Eve');
    const before = await access(eng, fx.roomId);
    expect(before.body).toMatchObject({ member: { role: 'engineer', name: 'Eve' }, title: 'Night Drive' });
    const members = await fx.owner.json<{ members: { userId: string; name: string }[] }>('GET', fx.api('/members'));
    const eve = members.body.members.find((m) => m.name === 'Eve');
    expect(eve).toBeDefined();
    expect((await fx.owner.json('DELETE', fx.api(`/members/${eve!.userId}`))).status).toBe(200);
    expect((await access(eng, fx.roomId)).body).toEqual({ roomId: fx.roomId, member: null, open: false, title: null });
  });

  it('a forged or tampered session cookie is a stranger, not an error', async () => {
    const forged = new HttpUser(fx.product.url, 'forger');
    const name = fx.owner.cookie.split('=')[0]!;
    const value = fx.owner.cookie.slice(name.length + 1);
    const flipped = value.slice(0, -2) + (value.at(-2) === 'A' ? 'B' : 'A') + value.at(-1);
    for (const cookie of [`${name}=${flipped}`, `${name}=`, `${name}=${'x'.repeat(8000)}`, `${name}=%00%ff`]) {
      forged.cookie = cookie;
      const res = await access(forged, fx.roomId);
      expect(res.status, cookie.slice(0, 40)).toBe(200);
      expect(res.body).toEqual({ roomId: fx.roomId, member: null, open: false, title: null });
    }
  });

  it("another site's script cannot read the answer, and no cache keeps it", async () => {
    const res = await fx.owner.request('GET', fx.api('/access'), undefined, { origin: 'https://evil.example', accept: 'application/json' });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('malformed room ids are refused with the one error shape, never echoed into a lookup', async () => {
    const stranger = new HttpUser(fx.product.url, 'stranger');
    for (const id of ['bad~id', '..%2F..%2Fetc', 'a'.repeat(65), '%00']) {
      const res = await access(stranger, id);
      expect(res.status, id).toBe(404);
      expect(res.body).toMatchObject({ error: { code: 'not-found' } });
    }
  });
});
