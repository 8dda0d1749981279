import { appendFile, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJsonLogger } from '../../log/Logger.ts';
import { WriteAheadLog, type WalEntries } from './WriteAheadLog.ts';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mixroom-wal-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const logger = createJsonLogger('error', () => undefined);
const update = (room: number, i: number) => new Uint8Array(12 + (i % 5)).map((_, j) => (room * 53 + i * 7 + j) & 0xff);

/** Opens a log in `dir`, recording what it replays and how many checkpoints ran. */
async function openLog(dir: string, segmentBytes = 1 << 20) {
  const replayed: WalEntries[] = [];
  const stats = { checkpoints: 0 };
  const wal = await WriteAheadLog.open(dir, async (entries) => void replayed.push(entries), {
    segmentBytes,
    checkpoint: async () => void (stats.checkpoints += 1),
    logger,
  });
  return { wal, replayed, stats };
}

describe('WriteAheadLog', () => {
  it('replays, per room and in order, what a process that died had appended', async () => {
    const dir = join(root, 'crash');
    const first = await openLog(dir);
    expect(first.replayed).toEqual([]);
    const expected = new Map<string, Uint8Array[]>();
    // Many rooms in one tick, then more ticks.
    for (let tick = 0; tick < 3; tick++) {
      await Promise.all(
        Array.from({ length: 25 }, (_, r) => {
          const updates = [update(r, tick * 2), update(r, tick * 2 + 1)];
          expected.set(`room-${r}`, [...(expected.get(`room-${r}`) ?? []), ...updates]);
          return first.wal.append(`room-${r}`, updates);
        }),
      );
    }
    // No close: the process "died". A torn half-record at the end is what a kill mid-write leaves.
    const segments = await readdir(dir);
    expect(segments).toHaveLength(1);
    await appendFile(join(dir, segments[0]!), Buffer.from([40, 0, 0, 0, 1, 2]));

    const second = await openLog(dir);
    expect(second.replayed).toHaveLength(1);
    expect(second.replayed[0]).toEqual(expected);
    // The replayed segment is gone; a new one is open and empty.
    const after = await readdir(dir);
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(segments[0]);
    await second.wal.close();
    expect(await readdir(dir)).toEqual([]);
  });

  it('retires full segments once a checkpoint ran, and replays only the ones left', async () => {
    const dir = join(root, 'rotate');
    const { wal, stats } = await openLog(dir, 512);
    for (let i = 0; i < 60; i++) await wal.append('busy', [update(1, i)]);
    // 60 records of ~40 bytes cross 512 bytes several times; every retired segment was checkpointed and deleted.
    await new Promise((r) => setTimeout(r, 50));
    expect(stats.checkpoints).toBeGreaterThanOrEqual(3);
    const left = await readdir(dir);
    expect(left).toHaveLength(1);
    const reopened = await openLog(dir, 512);
    const replayed = reopened.replayed[0]?.get('busy') ?? [];
    // Only the tail since the last retirement replays, and it is the tail of what was appended.
    expect(replayed.length).toBeGreaterThan(0);
    expect(replayed.length).toBeLessThan(60);
    expect(replayed).toEqual(Array.from({ length: 60 }, (_, i) => update(1, i)).slice(60 - replayed.length));
    await reopened.wal.close();
    await wal.close().catch(() => undefined);
  });

  it('writes the appends of one turn together', async () => {
    const dir = join(root, 'group');
    const { wal } = await openLog(dir);
    const [segment] = await readdir(dir);
    const sizes: number[] = [];
    // 40 rooms append in the same turn: by the time the first resolves, all are on disk.
    const all = Array.from({ length: 40 }, (_, r) => wal.append(`r${r}`, [update(r, 0)]));
    await Promise.race(all);
    sizes.push((await stat(join(dir, segment!))).size);
    await Promise.all(all);
    sizes.push((await stat(join(dir, segment!))).size);
    expect(sizes[0]).toBe(sizes[1]);
    await wal.close();
  });

  it('refuses appends after close', async () => {
    const { wal } = await openLog(join(root, 'closed'));
    await wal.close();
    await expect(wal.append('x', [update(0, 0)])).rejects.toThrow(/closed/);
  });
});
