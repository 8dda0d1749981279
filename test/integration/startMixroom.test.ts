import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpUser, connectWithCookie, whenSocketSynced } from './reviewHarness.ts';
import { startTestMixroom, type TestMixroom } from './startTestMixroom.ts';

let product: TestMixroom;
beforeAll(async () => {
  product = await startTestMixroom();
});
afterAll(() => product.close());

describe('startMixroom (the composition root main.ts runs)', () => {
  it('serves health, creates a room with its owner, and syncs the owner\'s socket', async () => {
    expect((await fetch(`${product.url}/healthz`)).status).toBe(200);
    const owner = new HttpUser(product.url, 'owner');
    const created = await owner.json<{ room: { roomId: string } }>('POST', '/api/rooms', { title: 'Song', displayName: 'Olive' });
    expect(created.status).toBe(201);
    const roomId = created.body.room.roomId;
    const me = await owner.json<{ member: { role: string } }>('GET', `/api/rooms/${roomId}/me`);
    expect(me.body.member.role).toBe('owner');
    const socket = connectWithCookie(product.url, roomId, owner.cookie);
    try {
      await whenSocketSynced(socket);
      expect(socket.doc.getMap('mix').size).toBeGreaterThan(0);
    } finally {
      socket.destroy();
    }
    const stranger = new HttpUser(product.url, 'stranger');
    expect((await stranger.json('GET', `/api/rooms/${roomId}/me`)).status).toBe(401);
  });
});

describe('GET /api/rooms/:room/access (what the app asks on load)', () => {
  it('answers strangers without an error, and tells the title only to members and in open rooms', async () => {
    const owner = new HttpUser(product.url, 'owner');
    const roomId = (await owner.json<{ room: { roomId: string } }>('POST', '/api/rooms', { title: 'Night Drive', displayName: 'Olive' })).body.room.roomId;
    const mine = await owner.json<{ member: { role: string; name: string } | null; open: boolean; title: string | null }>('GET', `/api/rooms/${roomId}/access`);
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ member: { role: 'owner', name: 'Olive' }, open: false, title: 'Night Drive' });
    const stranger = new HttpUser(product.url, 'stranger');
    const theirs = await stranger.json('GET', `/api/rooms/${roomId}/access`);
    expect(theirs).toEqual({ status: 200, body: { roomId, member: null, open: false, title: null } });
    expect((await stranger.json('GET', '/api/rooms/demo/access')).body).toMatchObject({ member: null, open: true });
    expect((await stranger.json('GET', '/api/rooms/bad~id/access')).status).toBe(404);
  });

  it('titles a new room\'s mix as its owner named it', async () => {
    const owner = new HttpUser(product.url, 'owner');
    const roomId = (await owner.json<{ room: { roomId: string } }>('POST', '/api/rooms', { title: 'Blue Hour', displayName: 'Olive' })).body.room.roomId;
    const socket = connectWithCookie(product.url, roomId, owner.cookie);
    try {
      await whenSocketSynced(socket);
      expect((socket.doc.getMap('mix').get('session') as { get(k: string): unknown }).get('title')).toBe('Blue Hour');
    } finally {
      socket.destroy();
    }
  });
});
