import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../log/Logger.ts';
import { createAuth } from './createAuth.ts';
import type { Auth } from './createAuth.ts';
import { createFileAuthStore } from './createFileAuthStore.ts';
import type { AuthStore } from './AuthStore.ts';
import { SESSION_COOKIE } from './Session.ts';
import { createTokenSigner } from './TokenSigner.ts';
import { describeAuthContract } from './authContract.testkit.ts';

const warnings: string[] = [];
const logger: Logger = { debug: () => {}, info: () => {}, warn: (m) => void warnings.push(m), error: () => {} };
const SECRET = new Uint8Array(32).fill(7);

let dir: string;
let store: AuthStore;
let clock: number;
let ids: number;
let auth: Auth;
let files = 0;

const cookieOf = (setCookie: string) => ({ headers: { cookie: setCookie.split(';')[0] } });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mixroom-auth-'));
  store = await createFileAuthStore(join(dir, 'auth.jsonl'), logger);
  clock = 1_000_000;
  ids = 0;
  auth = createAuth({ secret: SECRET, store, now: () => clock, newId: () => `id${++ids}xxxxxxxxxxxx`, openRooms: ['demo'], secureCookies: false });
});

afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('TokenSigner', () => {
  it('round-trips and refuses any changed byte, another purpose or another secret', () => {
    const signer = createTokenSigner(SECRET, 'invite');
    const token = signer.sign({ a: 1 });
    expect(signer.verify(token)).toEqual({ a: 1 });
    const [body, mac] = token.split('.') as [string, string];
    const flipped = mac.slice(0, -2) + (mac.at(-2) === 'A' ? 'B' : 'A') + mac.at(-1);
    expect(signer.verify(`${body}.${flipped}`)).toBeNull();
    expect(signer.verify(`${Buffer.from('{"a":2}').toString('base64url')}.${mac}`)).toBeNull();
    expect(createTokenSigner(SECRET, 'session').verify(token)).toBeNull();
    expect(createTokenSigner(new Uint8Array(32).fill(8), 'invite').verify(token)).toBeNull();
    for (const junk of ['', '.', 'abc', 'a.b.c', `${body}.`]) expect(signer.verify(junk)).toBeNull();
    expect(() => createTokenSigner(new Uint8Array(16), 'x')).toThrow(/32 bytes/);
  });
});

describeAuthContract({ name: 'file', open: (now) => createFileAuthStore(join(dir, `auth-${++files}.jsonl`), logger, now) });

describe('createFileAuthStore', () => {
  const NOBODY = { headers: {} };

  it('the store survives a reopen (sessions, members, claims) and skips a torn last line', async () => {
    const { room, session, setCookie } = await auth.createRoom('Song', 'Olive', NOBODY);
    const owner = { userId: session.userId, name: 'Olive', role: 'owner' as const };
    const { invite } = await auth.createInvite(room.roomId, owner, 'listener', 3600_000, 'multi');
    const single = await auth.createInvite(room.roomId, owner, 'artist', 3600_000, 'single');
    const joined = await auth.join(single.token, 'Art', NOBODY);
    if (!joined.ok) throw new Error(joined.message);
    await auth.revokeInvite(room.roomId, invite.inviteId, owner);
    await store.close();
    await appendFile(join(dir, 'auth.jsonl'), '{"type":"invite","inviteId":"torn');
    store = await createFileAuthStore(join(dir, 'auth.jsonl'), logger, () => clock);
    auth = createAuth({ secret: SECRET, store, now: () => clock, newId: () => `id${++ids}xxxxxxxxxxxx`, openRooms: ['demo'], secureCookies: false });
    expect((await store.getRoom(room.roomId))?.ownerId).toBe(session.userId);
    expect((await store.getInvite(invite.inviteId))?.revokedAt).toBe(clock);
    expect((await store.getInvite(single.invite.inviteId))?.usedBy).toBe(joined.session.userId);
    expect((await auth.authorize(cookieOf(setCookie), room.roomId))?.role).toBe('owner');
    expect((await auth.authorize(cookieOf(joined.setCookie), room.roomId))?.role).toBe('artist');
    expect(warnings).toContain('auth log: skipped unreadable line');
    // A write after the torn line lands on its own line and is read back.
    await store.createRoom({ roomId: 'r2', title: 'T', ownerId: 'u', ownerName: 'U', createdAt: 1 });
    await store.close();
    const lines = (await readFile(join(dir, 'auth.jsonl'), 'utf8')).trim().split('\n');
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ type: 'room', roomId: 'r2' });
    expect(lines.join('\n')).not.toContain(setCookie.split(';')[0]!.split('=')[1]!); // only token hashes are stored
    store = await createFileAuthStore(join(dir, 'auth.jsonl'), logger);
    expect((await store.getRoom('r2'))?.title).toBe('T');
  });
});
