import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { CLOSE_CODES, MESSAGE_TYPES } from '@mixroom/shared/protocol';
import { HttpUser } from '../integration/reviewHarness.ts';
import { startSecurityFixture, type SecurityFixture } from './securityHarness.ts';

/**
 * Revocation and role changes must hold on sockets that are already open: a revoked or
 * downgraded user must not keep writing the mix through a connection made before.
 */
let fx: SecurityFixture;
beforeAll(async () => {
  fx = await startSecurityFixture();
});
afterAll(() => fx?.close());

/** A raw sync socket that writes `probe.<key> = true` updates on demand. */
async function openWriter(cookie: string, roomId: string) {
  const ws = new WebSocket(`${fx.product.url.replace(/^http/, 'ws')}/sync/${roomId}`, { headers: { cookie } });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  const messageTypes: number[] = [];
  await new Promise<void>((resolve, reject) => {
    ws.once('message', () => resolve());
    ws.once('close', (code) => reject(new Error(`closed ${code}`)));
  });
  ws.on('message', (data: Buffer) => messageTypes.push(data[0] ?? -1));
  const doc = new Y.Doc();
  return {
    closed,
    messageTypes,
    get open() {
      return ws.readyState === WebSocket.OPEN;
    },
    write(key: string) {
      const before = Y.encodeStateVector(doc);
      doc.getMap('probe').set(key, true);
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_TYPES.sync);
      syncProtocol.writeUpdate(encoder, Y.encodeStateAsUpdate(doc, before));
      ws.send(encoding.toUint8Array(encoder));
    },
    close: () => ws.close(),
  };
}

const saved = (key: string) => fx.product.server.services.rooms.withRoom(fx.roomId as never, (doc) => doc.getMap('probe').get(key) === true);

async function join(role: 'engineer' | 'artist', uses: 'single' | 'multi' = 'single') {
  const invite = await fx.owner.json<{ token: string; invite: { inviteId: string } }>('POST', fx.api('/invites'), { role, ttlHours: 24, uses });
  const user = new HttpUser(fx.product.url, role);
  const joined = await user.json<{ member: { userId: string } }>('POST', `/api/invites/${invite.body.token}/join`, { displayName: role });
  expect(joined.status).toBe(200);
  return { user, inviteId: invite.body.invite.inviteId, userId: joined.body.member.userId };
}

describe('open sockets', () => {
  it('revoking an invite closes (4401) the sockets of everyone who joined through it; a write sent after is not saved', async () => {
    const a = await join('engineer', 'multi');
    // A second person through the same link, and someone through another link who must stay.
    const invite = (await fx.owner.json<{ invites: Array<{ inviteId: string }> }>('GET', fx.api('/invites'))).body.invites.find((i) => i.inviteId === a.inviteId);
    expect(invite).toBeTruthy();
    const other = await join('artist');
    const writerA = await openWriter(a.user.cookie, fx.roomId);
    const writerB = await openWriter(a.user.cookie, `${fx.roomId}~review`);
    const writerOther = await openWriter(other.user.cookie, fx.roomId);
    writerA.write('before-revoke');
    await expect.poll(() => saved('before-revoke')).toBe(true);

    const revoked = await fx.owner.json('DELETE', fx.api(`/invites/${a.inviteId}`));
    expect(revoked.status).toBe(200);
    writerA.write('after-revoke');
    expect(await writerA.closed).toBe(CLOSE_CODES.unauthorized);
    expect(await writerB.closed).toBe(CLOSE_CODES.unauthorized);
    // Give a stray frame every chance to land.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await saved('after-revoke')).toBe(false);
    // Who joined through another link keeps writing.
    expect(writerOther.open).toBe(true);
    writerOther.write('other-after-revoke');
    await expect.poll(() => saved('other-after-revoke')).toBe(true);
    writerOther.close();
  });

  it('a role downgrade makes an open socket read-only at once; removal closes it', async () => {
    const eng = await join('engineer');
    const writer = await openWriter(eng.user.cookie, fx.roomId);
    writer.write('as-engineer');
    await expect.poll(() => saved('as-engineer')).toBe(true);

    const patched = await fx.owner.json<{ member: { role: string } }>('PATCH', fx.api(`/members/${eng.userId}`), { role: 'listener' });
    expect(patched.status).toBe(200);
    expect(patched.body.member.role).toBe('listener');
    writer.write('as-listener');
    await expect.poll(() => writer.messageTypes.includes(MESSAGE_TYPES.auth)).toBe(true); // the read-only notice
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await saved('as-listener')).toBe(false);
    expect(writer.open).toBe(true);
    expect((await eng.user.json<{ member: { role: string } }>('GET', fx.api('/me'))).body.member.role).toBe('listener');

    expect((await fx.owner.json('DELETE', fx.api(`/members/${eng.userId}`))).status).toBe(200);
    expect(await writer.closed).toBe(CLOSE_CODES.unauthorized);
    expect((await eng.user.json('GET', fx.api('/me'))).status).toBe(401);
  });

  it('signing a browser out closes its sockets; only the owner may change roles', async () => {
    const art = await join('artist');
    const writer = await openWriter(art.user.cookie, fx.roomId);
    expect((await art.user.json('PATCH', fx.api(`/members/${art.userId}`), { role: 'engineer' })).status).toBe(403);
    const sessions = await art.user.json<{ sessions: Array<{ sessionId: string; current: boolean }> }>('GET', '/api/sessions');
    expect(sessions.body.sessions).toEqual([expect.objectContaining({ current: true })]);
    expect((await art.user.json('DELETE', '/api/sessions/current')).status).toBe(200);
    expect(await writer.closed).toBe(CLOSE_CODES.unauthorized);
  });
});
