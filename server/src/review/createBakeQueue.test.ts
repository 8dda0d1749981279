import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MixState } from '@mixroom/shared/model';
import { ApiError } from '../http/ApiError.ts';
import { createJsonLogger } from '../log/Logger.ts';
import { LocalRoomStore } from '../sync/persistence/LocalRoomStore.ts';
import { RoomRegistry } from '../sync/RoomRegistry.ts';
import type { BakeVersion } from './BakeVersion.ts';
import type { BakeQueue } from './BakeQueue.ts';
import { createBakeQueue } from './createBakeQueue.ts';
import { createReviewDocs } from './ReviewDocs.ts';

let dir: string;
let rooms: RoomRegistry;
let store: LocalRoomStore;
let queue: BakeQueue;
let started: string[];
// A bake that runs until it is cancelled: the queue's bounds are what is under test.
const endless: BakeVersion = (job) =>
  new Promise((_, reject) => {
    started.push(`${job.roomId}/${job.versionId}`);
    if (job.signal.aborted) return reject(new Error('cancelled'));
    job.signal.addEventListener('abort', () => reject(new Error('cancelled')));
  });
const state = {} as MixState;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mixroom-bakeq-'));
  const logger = createJsonLogger('error', () => undefined);
  store = new LocalRoomStore(dir, logger);
  await store.start();
  rooms = new RoomRegistry({ store, initRoom: () => undefined, logger, idleUnloadMs: 0, compactLogBytes: 1 << 20 });
  started = [];
  queue = createBakeQueue({ docs: createReviewDocs(rooms), bake: endless, now: Date.now, logger, maxQueued: 3, maxQueuedPerRoom: 2 });
});
afterEach(async () => {
  await queue.close();
  await rooms.close();
  await store.stop();
  await rm(dir, { recursive: true, force: true });
});

const refusal = async (fn: () => Promise<unknown>): Promise<{ status: number; code: string; retryAfter: string | null }> => {
  try {
    await fn();
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return { status: error.status, code: error.code, retryAfter: error.getResponse().headers.get('retry-after') };
  }
  throw new Error('not refused');
};

describe('createBakeQueue bounds', () => {
  it('refuses a room past its bound (429) and the server past its bound (503), with Retry-After', async () => {
    await (await queue.reserve('a')).enqueue('v1', state); // runs
    await (await queue.reserve('a')).enqueue('v2', state); // waits
    await expect.poll(() => started).toEqual(['a/v1']);
    expect(await refusal(() => queue.reserve('a'))).toEqual({ status: 429, code: 'busy', retryAfter: '30' });
    await (await queue.reserve('b')).enqueue('v1', state);
    const held = await queue.reserve('c'); // a place held while a version is written counts too
    expect(await refusal(() => queue.reserve('d'))).toEqual({ status: 503, code: 'busy', retryAfter: '60' });
    await held.release();
    await (await queue.reserve('d')).enqueue('v1', state);
    expect((await refusal(() => queue.reserve('e'))).status).toBe(503);
    // Cancelling frees places, in the room and overall.
    expect(await queue.cancel('a', 'v2')).toBe(true);
    await (await queue.reserve('a')).enqueue('v3', state);
    expect(await queue.has('a', 'v3')).toBe(true);
  });

  it('a slot enqueues once; releasing after enqueue changes nothing', async () => {
    const slot = await queue.reserve('a');
    await slot.enqueue('v1', state);
    await slot.release();
    await slot.enqueue('v2', state);
    expect(await queue.has('a', 'v1')).toBe(true);
    expect(await queue.has('a', 'v2')).toBe(false);
    await (await queue.reserve('a')).enqueue('v3', state);
    expect((await refusal(() => queue.reserve('a'))).status).toBe(429);
  });
});
