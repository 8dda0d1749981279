import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMixState } from '@mixroom/shared/model';
import { addTrack, removeBus, setTrackParam } from '@mixroom/shared/ops';
import { createOrigin, type RoomId } from '@mixroom/shared/protocol';
import { readReview, reviewDocName, type BakeRecord } from '@mixroom/shared/review';
import { stemKeys } from '../../server/src/stems/stemKeys.ts';
import { ObjectStore } from '../../server/src/storage/ObjectStore.ts';
import { floatWav, sine } from '../renderFixtures.ts';
import { connectWithCookie, HttpUser, sha256, whenSocketSynced, type SocketClient } from '../integration/reviewHarness.ts';
import { startTestMixroom, type TestMixroom } from '../integration/startTestMixroom.ts';
import { waitFor } from '../integration/syncHarness.ts';
import { spawnNode, type JsonLine, type NodeProcess } from './spawnNode.ts';
import { startClusterBackends, type ClusterBackends } from './startClusterBackends.ts';

/**
 * Bakes on BullMQ: one API node (the real composition root in cluster mode) and two
 * `pnpm worker` processes (server/src/worker.ts as child processes) on one real Redis and
 * a shared S3 API (s3rver on loopback). Workers are killed with SIGKILL mid-bake.
 */
const SR = 48_000;
const STEM_SECONDS = 40;
const BUCKET = 'mixroom';

let backends: ClusterBackends;
let objects: ObjectStore;
let api: TestMixroom;
let env: Record<string, string>;
const workers: NodeProcess[] = [];
const sockets: SocketClient[] = [];
let owner: HttpUser;
let workerCount = 0;

function startWorker(): NodeProcess {
  workerCount += 1;
  const worker = spawnNode('server/src/worker.ts', `w${workerCount}`, { ...env, NODE_ID: `w${workerCount}`, BAKE_THREADS: '1' });
  workers.push(worker);
  return worker;
}

/** A room with `tracks` stems of STEM_SECONDS (different tones, lengths and offsets), owned by `owner`. */
async function makeRoom(title: string, tracks: number): Promise<string> {
  const created = await owner.json<{ room: { roomId: string } }>('POST', '/api/rooms', { title, displayName: 'Olive' });
  expect(created.status).toBe(201);
  const roomId = created.body.room.roomId;
  const stems: Array<{ key: string; frames: number }> = [];
  for (let t = 0; t < tracks; t++) {
    const frames = (STEM_SECONDS - t * 3) * SR;
    const left = sine(frames, 110 * (t + 1), 0.2, SR);
    const right = sine(frames, 110 * (t + 1) * 1.5, 0.2, SR);
    const wav = floatWav([left, right], SR);
    const key = stemKeys.source(roomId, sha256(wav), 'wav');
    await objects.put(key, wav, 'audio/wav');
    stems.push({ key, frames });
  }
  await api.server.services.rooms.withRoom(roomId as RoomId, (doc, origin) => {
    for (const bus of readMixState(doc).buses) removeBus(doc, { busId: bus.id }, origin);
    stems.forEach((stem, t) => {
      const trackId = addTrack(doc, { name: `Track ${t}`, stem: { key: stem.key, fileName: `t${t}.wav`, sampleRate: SR, channels: 2, frames: stem.frames } }, origin);
      setTrackParam(doc, { trackId, param: 'gain', value: 0.5 }, origin);
    });
  });
  return roomId;
}

/** Every state of every bake record the room showed, as a member's socket received them. */
function watchBakes(roomId: string): { seen: Map<string, BakeRecord[]>; socket: SocketClient } {
  const socket = connectWithCookie(api.url, reviewDocName(roomId), owner.cookie);
  sockets.push(socket);
  const seen = new Map<string, BakeRecord[]>();
  socket.doc.on('update', () => {
    for (const [id, bake] of readReview(socket.doc).bakes) {
      const list = seen.get(id) ?? [];
      if (JSON.stringify(list.at(-1)) !== JSON.stringify(bake)) list.push(bake);
      seen.set(id, list);
    }
  });
  return { seen, socket };
}

async function saveVersion(roomId: string, name: string): Promise<{ status: number; id: string }> {
  const res = await owner.json<{ version: { id: string } }>('POST', `/api/rooms/${roomId}/versions`, { name });
  return { status: res.status, id: res.body.version?.id };
}

const latest = (watch: { seen: Map<string, BakeRecord[]> }, id: string) => watch.seen.get(id)?.at(-1);
const workerLines = (msg: string, versionId: string): Array<JsonLine & { worker: string }> =>
  workers.flatMap((w) => w.lines.filter((l) => l.msg === msg && l.versionId === versionId) as Array<JsonLine & { worker: string }>);

async function objectSha(key: string): Promise<string> {
  const res = await objects.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return sha256(await res.Body!.transformToByteArray());
}

beforeAll(async () => {
  backends = await startClusterBackends('mixroom-bake-cluster-', { bucket: BUCKET });
  objects = new ObjectStore(backends.s3Client, BUCKET);
  env = {
    ...backends.env,
    // A dead worker is noticed within about 3 s (the defaults are 30 s and 15 s).
    BAKE_LOCK_MS: '2000',
    BAKE_STALLED_INTERVAL_MS: '1000',
    BAKE_ROOM_CONCURRENCY: '1',
    MAX_QUEUED_BAKES_PER_ROOM: '3',
  };
  api = await startTestMixroom({ env });
  owner = new HttpUser(api.url, 'owner');
  startWorker();
  startWorker();
  await Promise.all(workers.map((w) => w.waitForLine((l) => l.msg === 'bake worker ready')));
});

afterAll(async () => {
  if (process.env.DEBUG_CLUSTER) {
    for (const w of workers) console.log(w.name, JSON.stringify(w.lines.slice(-30), null, 0));
    console.log('api', JSON.stringify(api.lines.filter((l) => l.level !== 'debug').slice(-40)));
  }
  for (const s of sockets) s.destroy();
  await Promise.all(workers.map((w) => w.kill9()));
  await api?.close();
  await backends?.close();
});

describe('bakes on BullMQ with two workers on one Redis', () => {
  it('a worker killed mid-bake: another finishes it with the hash of an uninterrupted bake, and no half result is ever shown', async () => {
    const roomId = await makeRoom('Kill test', 3);
    const watch = watchBakes(roomId);
    await whenSocketSynced(watch.socket);

    const v1 = await saveVersion(roomId, 'Uninterrupted');
    expect(v1.status).toBe(201);
    await waitFor('v1 baked', () => latest(watch, v1.id)?.status === 'done', 120_000);
    const reference = latest(watch, v1.id)!;

    // The same mix again; its worker dies once it is well into the bake.
    const v2 = await saveVersion(roomId, 'Interrupted');
    expect(v2.status).toBe(201);
    await waitFor('v2 baking past 10%', () => (latest(watch, v2.id)?.status === 'baking' && latest(watch, v2.id)!.progress >= 0.1), 120_000);
    const [started] = workerLines('bake started', v2.id);
    const victim = workers.find((w) => w.name === started!.worker)!;
    await victim.kill9();
    startWorker(); // back to two workers for the next tests

    await waitFor('v2 baked after the kill', () => latest(watch, v2.id)?.status === 'done', 120_000);
    const after = latest(watch, v2.id)!;
    const retriedBy = workerLines('bake done', v2.id).map((l) => l.worker);
    expect(retriedBy).toHaveLength(1);
    expect(retriedBy[0]).not.toBe(victim.name);

    // Same bytes as the bake nobody interrupted: every format's key, hash and size.
    expect(after.renders).toEqual(reference.renders);
    expect(after.loudness).toEqual(reference.loudness);
    for (const file of Object.values(after.renders)) expect(await objectSha(file!.key)).toBe(file!.hash);

    // What the room showed: queued/baking (progress only), then done with every format; never
    // a failure, never files before done, never done without all four.
    const shown = watch.seen.get(v2.id)!;
    expect(shown.some((b) => b.status === 'baking' && b.progress >= 0.1)).toBe(true);
    for (const b of shown) {
      expect(['queued', 'baking', 'done']).toContain(b.status);
      if (b.status !== 'done') expect(b.renders).toEqual({});
      else expect(Object.keys(b.renders).sort()).toEqual(['flac', 'mp3', 'wav16', 'wav24']);
    }
  });

  it('cancel from another process stops a running bake on its worker and a waiting one before it starts', async () => {
    const roomId = await makeRoom('Cancel test', 3);
    const watch = watchBakes(roomId);
    await whenSocketSynced(watch.socket);
    const running = await saveVersion(roomId, 'Running');
    await waitFor('running bake started', () => latest(watch, running.id)?.status === 'baking', 120_000);
    // One bake per room at a time: this one waits.
    const waiting = await saveVersion(roomId, 'Waiting');
    expect(latest(watch, waiting.id)?.status ?? 'queued').toBe('queued');

    const cancelWaiting = await owner.json('DELETE', `/api/rooms/${roomId}/versions/${waiting.id}/bake`);
    expect(cancelWaiting.status).toBe(200);
    const cancelRunning = await owner.json('DELETE', `/api/rooms/${roomId}/versions/${running.id}/bake`);
    expect(cancelRunning.status).toBe(200);
    await waitFor('both cancelled', () => latest(watch, running.id)?.status === 'cancelled' && latest(watch, waiting.id)?.status === 'cancelled', 30_000);

    // The worker that ran it stopped it (its process got the cancel); the other never started.
    expect(workerLines('bake cancelled', running.id)).toHaveLength(1);
    expect(workerLines('bake done', running.id)).toHaveLength(0);
    expect(workerLines('bake started', waiting.id)).toHaveLength(0);
    // Cancelling again is refused: nothing is baking.
    expect((await owner.json('DELETE', `/api/rooms/${roomId}/versions/${running.id}/bake`)).status).toBe(409);
    // And it can be baked again.
    expect((await owner.json('POST', `/api/rooms/${roomId}/versions/${running.id}/bake`)).status).toBe(202);
    await waitFor('re-baked', () => latest(watch, running.id)?.status === 'done', 120_000);
  });

  it('one bake per room at a time across workers, while another room bakes beside it; per-room bound holds', async () => {
    const roomA = await makeRoom('Room A', 2);
    const roomB = await makeRoom('Room B', 2);
    const watchA = watchBakes(roomA);
    const watchB = watchBakes(roomB);
    await Promise.all([whenSocketSynced(watchA.socket), whenSocketSynced(watchB.socket)]);
    const a1 = await saveVersion(roomA, 'A1');
    const a2 = await saveVersion(roomA, 'A2');
    const a3 = await saveVersion(roomA, 'A3');
    const b1 = await saveVersion(roomB, 'B1');
    expect([a1.status, a2.status, a3.status, b1.status]).toEqual([201, 201, 201, 201]);
    // MAX_QUEUED_BAKES_PER_ROOM=3: a fourth in room A is refused, room B is not affected.
    expect((await saveVersion(roomA, 'A4')).status).toBe(429);

    await waitFor(
      'all baked',
      () => [a1, a2, a3].every((v) => latest(watchA, v.id)?.status === 'done') && latest(watchB, b1.id)?.status === 'done',
      180_000,
    );
    const span = (versionId: string) => {
      const start = Date.parse(workerLines('bake started', versionId).at(-1)!.time as string);
      const end = Date.parse(workerLines('bake done', versionId).at(-1)!.time as string);
      return [start, end] as const;
    };
    const spansA = [a1, a2, a3].map((v) => span(v.id)).sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < spansA.length; i++) expect(spansA[i]![0]).toBeGreaterThanOrEqual(spansA[i - 1]![1]);
    const [bStart, bEnd] = span(b1.id);
    expect(spansA.some(([s, e]) => s < bEnd && bStart < e)).toBe(true);
  });
});
