import { readFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readMixState } from '@mixroom/shared/model';
import { addTrack, setTrackParam } from '@mixroom/shared/ops';
import { CLOSE_CODES, createOrigin, type RoomId } from '@mixroom/shared/protocol';
import { readReview, reviewDocName } from '@mixroom/shared/review';
import { shardOf } from '../../server/src/sync/shards/shardOf.ts';
import type { SyncShards } from '../../server/src/sync/shards/SyncShards.ts';
import { floatWav, sine } from '../renderFixtures.ts';
import { startSecurityFixture, type SecurityFixture } from '../security/securityHarness.ts';
import { connectWithCookie, HttpUser, sha256, whenSocketSynced, type SocketClient } from './reviewHarness.ts';
import { kill9, spawnServerProcess, type ServerProcess } from './spawnServerProcess.ts';
import { connectClient, joinOpenRoom, makeTempDir, waitFor, whenSynced } from './syncHarness.ts';
import { DEMO_ROOM_ID } from '../../server/src/demo/seedDemoRoom.ts';
import { isProcessAlive } from '../../server/src/threads/isProcessAlive.testkit.ts';

/**
 * SYNC_SHARDS=2: the whole product (startMixroom, as `pnpm start` wires it) with its rooms in
 * two real shard processes. Real y-websocket clients, the real review and bake path, real
 * sessions and invites, and a real kill -9 of a shard process.
 */
const SHARDS = 2;
const SR = 48_000;
let fx: SecurityFixture;
let shards: SyncShards;
/** Rooms the owner made, at least two per shard. */
const rooms: string[] = [];
const sockets: SocketClient[] = [];

const docs = () => fx.product.server.services.docs;
function socket(cookie: string, docName: string): SocketClient {
  const client = connectWithCookie(fx.product.url, docName, cookie);
  sockets.push(client);
  return client;
}

beforeAll(async () => {
  fx = await startSecurityFixture({
    env: { SYNC_SHARDS: String(SHARDS), RATE_ROOMS: '200/1h,200/1h', RATE_JOINS: '200/1h,200/1h', MAX_SOCKETS_PER_USER: '64' },
  });
  shards = fx.product.server.services.docs as SyncShards;
  const perShard = [0, 0];
  rooms.push(fx.roomId);
  perShard[shardOf(fx.roomId, SHARDS)]! += 1;
  // Room ids are random: make rooms until both shards own two.
  while (Math.min(...perShard) < 2) {
    const made = await fx.owner.json<{ room: { roomId: string } }>('POST', '/api/rooms', { title: `Room ${rooms.length}`, displayName: 'Olive' });
    expect(made.status).toBe(201);
    rooms.push(made.body.room.roomId);
    perShard[shardOf(made.body.room.roomId, SHARDS)]! += 1;
  }
});
// A test's sockets end with it (kept open, they piled up over the file).
afterEach(() => {
  for (const s of sockets.splice(0)) s.destroy();
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await fx?.close();
});

describe('SYNC_SHARDS=2', () => {
  it('every joiner of a run of hand-overs syncs: no first frame is read and lost by the primary', { timeout: 180_000 }, async () => {
    // The client sends its first frame as soon as the shard answers the handshake; a primary
    // still reading the socket it handed over would swallow it and the joiner never sync.
    for (let round = 0; round < 40; round++) {
      const batch = Array.from({ length: 8 }, (_, i) => connectWithCookie(fx.product.url, rooms[(round + i) % rooms.length]!, fx.owner.cookie));
      try {
        await Promise.all(batch.map(whenSocketSynced));
      } finally {
        for (const c of batch) c.destroy();
      }
    }
  });

  it('runs rooms in two shard processes; two clients per room converge in every room', async () => {
    const pids = shards.processes.map((p) => p.pid);
    expect(new Set(pids).size).toBe(SHARDS);
    expect(pids).not.toContain(process.pid);
    const pairs = rooms.map((room) => [socket(fx.owner.cookie, room), socket(fx.owner.cookie, room)] as const);
    await Promise.all(pairs.flat().map(whenSocketSynced));
    // New rooms start as titled mixes (the shard asked the primary for the owner's title).
    for (const [i, [a]] of pairs.entries()) expect(readMixState(a.doc).session.title).toBe(i === 0 ? 'Night Drive' : `Room ${i}`);
    for (const [i, [a, b]] of pairs.entries()) {
      a.doc.getMap('probe').set(`a${i}`, i);
      b.doc.getMap('probe').set(`b${i}`, i);
    }
    for (const [i, [a, b]] of pairs.entries()) {
      await waitFor(`room ${i} converged`, () => a.doc.getMap('probe').get(`b${i}`) === i && b.doc.getMap('probe').get(`a${i}`) === i);
      // Rooms stay apart: nothing of another room's writes.
      expect([...a.doc.getMap('probe').keys()].sort()).toEqual([`a${i}`, `b${i}`]);
      // The server-side view (through the room's shard) has both.
      const saved = await docs().withRoom(rooms[i] as RoomId, (doc) => doc.getMap('probe').toJSON());
      expect(saved).toEqual({ [`a${i}`]: i, [`b${i}`]: i });
    }
    // Both shards hold sockets and rooms (reported once a second, so waited for whole).
    await waitFor(
      'both shards report all their sockets',
      () => shards.peerCount === pairs.length * 2 && shards.processes.every((p) => p.stats.sockets >= 4 && p.stats.rooms >= 2),
      5000,
    );
    for (const [a, b] of pairs) {
      a.destroy();
      b.destroy();
    }
  });

  it('review on rooms of both shards: comment, save a version, bake it, approve it', async () => {
    const artist = new HttpUser(fx.product.url, 'artist');
    for (const shard of [0, 1]) {
      const room = rooms.find((r) => shardOf(r, SHARDS) === shard)!;
      const api = (path: string) => `/api/rooms/${room}${path}`;
      // A 1 s tone in the store and a track for it, written by an engineer's socket.
      const tone = sine(SR, 440, 0.25, SR);
      const wav = floatWav([tone, tone], SR);
      const key = `rooms/${room}/stems/${sha256(wav)}/source.wav`;
      await fx.product.objects.store.put(key, wav, 'audio/wav');
      const engineer = socket(fx.owner.cookie, room);
      await whenSocketSynced(engineer);
      addTrack(engineer.doc, { name: 'Tone', stem: { key, fileName: 'tone.wav', sampleRate: SR, channels: 2, frames: SR } }, createOrigin('local-user', 'owner'));
      await expect.poll(() => docs().withRoom(room as RoomId, (doc) => readMixState(doc).tracks.length)).toBe(1);

      const watcher = socket(fx.owner.cookie, reviewDocName(room));
      await whenSocketSynced(watcher);
      const comment = await fx.owner.json<{ comment: { id: string } }>('POST', api('/comments'), { at: 1, text: `note on shard ${shard}` });
      expect(comment.status).toBe(201);
      const saved = await fx.owner.json<{ version: { id: string } }>('POST', api('/versions'), { name: `v on shard ${shard}` });
      expect(saved.status).toBe(201);
      const versionId = saved.body.version.id;
      await fx.product.review.bakesIdle();
      // Progress and the result reach the room's live review document in its shard.
      await waitFor('bake done seen live', () => readReview(watcher.doc).bakes.get(versionId)?.status === 'done', 60_000);
      expect(readReview(watcher.doc).comments.find((c) => c.id === comment.body.comment.id)?.text).toBe(`note on shard ${shard}`);
      const version = await fx.owner.json<{ version: { bake: { status: string; durationSec: number; renders: Record<string, unknown> } } }>('GET', api(`/versions/${versionId}`));
      expect(version.body.version.bake.status).toBe('done');
      expect(version.body.version.bake.durationSec).toBeCloseTo(1, 3);
      expect(Object.keys(version.body.version.bake.renders)).toContain('wav24');

      const invite = await fx.owner.json<{ token: string }>('POST', api('/invites'), { role: 'artist', ttlHours: 24 });
      expect((await artist.json('POST', `/api/invites/${invite.body.token}/join`, { displayName: 'Ari' })).status).toBe(200);
      const approval = await artist.json<{ approval: { action: string; by: { role: string } } }>('POST', api(`/versions/${versionId}/approvals`), { action: 'approve' });
      expect(approval.status).toBe(201);
      expect(approval.body.approval).toMatchObject({ action: 'approve', by: { role: 'artist' } });
      await waitFor('approval seen live', () => readReview(watcher.doc).approvals.some((a) => a.versionId === versionId));
    }
  });

  it('a revocation closes (4401) sockets in either shard', async () => {
    for (const shard of [0, 1]) {
      const room = rooms.find((r) => shardOf(r, SHARDS) === shard)!;
      const invite = await fx.owner.json<{ token: string; invite: { inviteId: string } }>('POST', `/api/rooms/${room}/invites`, { role: 'engineer', ttlHours: 24 });
      const engineer = new HttpUser(fx.product.url, 'engineer');
      expect((await engineer.json('POST', `/api/invites/${invite.body.token}/join`, { displayName: 'Eve' })).status).toBe(200);
      const client = socket(engineer.cookie, room);
      await whenSocketSynced(client);
      client.doc.getMap('probe').set(`engineer-${shard}`, true);
      await expect.poll(() => docs().withRoom(room as RoomId, (doc) => doc.getMap('probe').has(`engineer-${shard}`))).toBe(true);
      expect((await fx.owner.json('DELETE', `/api/rooms/${room}/invites/${invite.body.invite.inviteId}`)).status).toBe(200);
      await waitFor('socket closed 4401', () => client.closeCodes.includes(CLOSE_CODES.unauthorized));
      client.destroy();
    }
  });

  it('kill -9 of a shard loses no relayed update; it restarts and its rooms come back', async () => {
    const victim = 1;
    const room = rooms.find((r) => shardOf(r, SHARDS) === victim)!;
    const bystander = rooms.find((r) => shardOf(r, SHARDS) !== victim)!;
    const other = socket(fx.owner.cookie, bystander);
    await whenSocketSynced(other);
    const mustSurvive = new Set<string>();
    let written = 0;
    for (let cycle = 0; cycle < 3; cycle++) {
      const writer = socket(fx.owner.cookie, room);
      const observer = socket(fx.owner.cookie, room);
      await Promise.all([whenSocketSynced(writer), whenSocketSynced(observer)]);
      for (const key of mustSurvive) expect(observer.doc.getMap('crash').has(key), key).toBe(true);
      const seen = new Set<string>();
      observer.doc.getMap('crash').observe((event) => {
        for (const key of event.keysChanged) seen.add(key);
      });
      const timer = setInterval(() => {
        for (let i = 0; i < 5; i++) writer.doc.getMap('crash').set(`c${cycle}-${written++}`, 'x'.repeat(40));
      }, 1);
      await waitFor('observer saw writes', () => seen.size > 200);
      const process_ = shards.processes[victim]!;
      const restarts = process_.restarts;
      process.kill(process_.pid!, 'SIGKILL');
      await waitFor('writer lost its socket', () => writer.closeCodes.length > 0 || !writer.provider.wsconnected);
      clearInterval(timer);
      // Frames already in the observer's socket were relayed before the kill: count them too.
      await new Promise((r) => setTimeout(r, 100));
      for (const key of seen) mustSurvive.add(key);
      writer.destroy();
      observer.destroy();
      await waitFor('shard restarted', () => process_.restarts === restarts + 1, 30_000);
      await process_.whenReady();
      // The other shard's room never noticed.
      expect(other.provider.wsconnected).toBe(true);
    }
    const reader = socket(fx.owner.cookie, room);
    await whenSocketSynced(reader);
    const missing = [...mustSurvive].filter((key) => !reader.doc.getMap('crash').has(key));
    expect(mustSurvive.size).toBeGreaterThan(600);
    expect(missing).toEqual([]);
    // The primary reaches the restarted shard's room too.
    expect(await docs().withRoom(room as RoomId, (doc) => doc.getMap('crash').size)).toBeGreaterThanOrEqual(mustSurvive.size);
  });

  it('a server write through the primary reaches clients in the shard; the room size limit still answers 413', async () => {
    const room = rooms.find((r) => shardOf(r, SHARDS) === 0)!;
    const client = socket(fx.owner.cookie, room);
    await whenSocketSynced(client);
    await docs().withRoom(room as RoomId, (doc, origin) => doc.transact(() => doc.getMap('probe').set('from-server', 1), origin), { actor: 'test' });
    await waitFor('server write relayed', () => client.doc.getMap('probe').get('from-server') === 1);
    await expect(docs().withRoom(reviewDocName(room) as RoomId, () => 1, { grows: 1024 ** 3 })).rejects.toMatchObject({ name: 'RoomFullError' });
    expect(Y.encodeStateAsUpdate(client.doc).byteLength).toBeGreaterThan(0);
  });
});

describe('SYNC_SHARDS in `server/src/main.ts` (real processes)', () => {
  // The demo's eight 64 s stems are synthesised, uploaded and analysed on first start: ~30 s
  // on a quiet 2-core machine.
  it('seeds a mixable demo; drains on SIGTERM; a changed shard count and a kill -9 of the primary lose nothing', { timeout: 400_000 }, async () => {
    const dir = await makeTempDir('mixroom-shards-');
    let server: ServerProcess | null = null;
    try {
      const start = async (count: number) => {
        const started = await spawnServerProcess(dir.path, { SYNC_SHARDS: String(count), RATE_JOINS: '200/1h,200/1h' });
        const pids = (await readFile(`/proc/${started.child.pid}/task/${started.child.pid}/children`, 'utf8')).trim().split(' ').filter(Boolean).map(Number);
        expect(pids).toHaveLength(count === 1 ? 0 : count);
        // Boot checks the demo's stems (synthesis holds the main event loop for seconds).
        await waitFor('demo room ready', () => started.lines.some((l) => l.includes('"msg":"demo room ready"')), 300_000);
        return { server: started, shardPids: pids };
      };
      const client = async (url: string) => {
        const c = connectClient(url, DEMO_ROOM_ID, {}, { cookie: await joinOpenRoom(url, DEMO_ROOM_ID) });
        await whenSynced(c);
        return c;
      };

      // 1. Two shards, the product's defaults otherwise: the demo is seeded through its shard.
      let run = await start(2);
      server = run.server;
      const a = await client(run.server.url);
      const b = await client(run.server.url);
      await waitFor('eight demo tracks', () => readMixState(a.doc).tracks.length === 8);
      const track = readMixState(a.doc).tracks[0]!;
      setTrackParam(a.doc, { trackId: track.id, param: 'gain', value: 0.375 }, createOrigin('local-user', 'a'));
      await waitFor('fader relayed', () => readMixState(b.doc).tracks[0]?.gain === 0.375);
      a.destroy();
      b.destroy();
      // spawnServerProcess's own 'exit' listener fails on any exit: replaced.
      run.server.child.removeAllListeners('exit');
      const exited = new Promise<number | null>((resolve) => run.server.child.once('exit', (code) => resolve(code)));
      run.server.child.kill('SIGTERM');
      expect(await exited).toBe(0);
      for (const pid of run.shardPids) expect(isProcessAlive(pid)).toBe(false);
      server = null;

      // 2. Three shards: the room moved (or not) and is whole; writes until the primary is killed.
      run = await start(3);
      server = run.server;
      const writer = await client(run.server.url);
      const observer = await client(run.server.url);
      expect(readMixState(observer.doc).tracks[0]?.gain).toBe(0.375);
      const seen = new Set<string>();
      observer.doc.getMap('crash').observe((event) => {
        for (const key of event.keysChanged) seen.add(key);
      });
      let written = 0;
      const timer = setInterval(() => {
        for (let i = 0; i < 5; i++) writer.doc.getMap('crash').set(`k${written++}`, 'x'.repeat(40));
      }, 1);
      await waitFor('observer saw writes', () => seen.size > 300);
      await kill9(run.server);
      clearInterval(timer);
      await new Promise((r) => setTimeout(r, 100));
      const mustSurvive = new Set(seen);
      writer.destroy();
      observer.destroy();
      server = null;
      // Its shards leave with it (a new primary must not find them still writing).
      await waitFor('shards gone', () => run.shardPids.every((pid) => !isProcessAlive(pid)));

      // 3. One process again: every shard's write-ahead log was replayed into the room files.
      run = await start(1);
      server = run.server;
      const reader = await client(run.server.url);
      expect([...mustSurvive].filter((key) => !reader.doc.getMap('crash').has(key))).toEqual([]);
      expect(readMixState(reader.doc).tracks.length).toBe(8);
      expect(readMixState(reader.doc).tracks[0]?.gain).toBe(0.375);
      reader.destroy();
    } finally {
      if (server) await kill9(server);
      await dir.remove();
    }
  });
});
