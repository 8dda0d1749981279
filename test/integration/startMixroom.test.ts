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
