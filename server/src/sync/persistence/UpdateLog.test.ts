import { appendFile, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAZY_WRITE_BYTES, UPDATE_LOG_MAGIC, UpdateLog } from './UpdateLog.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mixroom-log-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const payload = (i: number, size = 5 + (i % 7)) => new Uint8Array(size).map((_, j) => (i * 31 + j) & 0xff);

/** Opens, reads and closes (no handle left for the GC to close). */
async function readLog(path: string): Promise<Uint8Array[]> {
  const { log, updates } = await UpdateLog.open(path);
  await log.close();
  return updates;
}

async function writeLog(path: string, payloads: Uint8Array[]): Promise<void> {
  const { log } = await UpdateLog.open(path);
  await log.append(payloads.slice(0, 2));
  await log.append(payloads.slice(2));
  await log.close();
}

describe('UpdateLog', () => {
  it('holds lazy appends in memory until a write is worth it, a sync or a close', async () => {
    const path = join(dir, 'lazy.log');
    const { log } = await UpdateLog.open(path, { durable: false });
    const small = [0, 1, 2].map((i) => payload(i));
    await log.append(small);
    // Counted (the compaction threshold reads it), not written yet.
    expect(log.bytes).toBeGreaterThan(0);
    expect(log.unwrittenBytes).toBe(log.bytes);
    expect((await stat(path)).size).toBe(UPDATE_LOG_MAGIC.byteLength);
    await log.sync();
    expect(log.unwrittenBytes).toBe(0);
    expect(await readLog(path)).toEqual(small);
    // Past the threshold: written at once, in order after what came before.
    const big = Array.from({ length: 20 }, (_, i) => payload(100 + i, Math.ceil(LAZY_WRITE_BYTES / 16)));
    await log.append(big);
    expect(log.unwrittenBytes).toBe(0);
    expect(await readLog(path)).toEqual([...small, ...big]);
    const last = [payload(7)];
    await log.append(last);
    await log.close();
    expect(await readLog(path)).toEqual([...small, ...big, ...last]);
    // A closed log with nothing held has nothing to flush.
    await expect(log.sync()).resolves.toBeUndefined();
  });

  it('reads back exactly what was appended, across reopen and truncate', async () => {
    const path = join(dir, 'basic.log');
    const records = [0, 1, 2, 3].map((i) => payload(i));
    await writeLog(path, records);
    const opened = await UpdateLog.open(path);
    expect(opened.updates).toEqual(records);
    expect(opened.discardedBytes).toBe(0);
    expect(opened.log.bytes).toBe((await stat(path)).size - UPDATE_LOG_MAGIC.byteLength);
    await opened.log.truncate();
    await opened.log.append([payload(9)]);
    await opened.log.close();
    expect(await readLog(path)).toEqual([payload(9)]);
  });

  it('ignores a tail torn at every possible byte, keeps it aside, and appends after it safely', async () => {
    const records = [0, 1, 2].map((i) => payload(i, 20));
    const reference = join(dir, 'ref.log');
    await writeLog(reference, records);
    const full = await readFile(reference);
    const lastStart = full.byteLength - (8 + 20);
    for (let cut = lastStart; cut < full.byteLength; cut++) {
      const path = join(dir, `torn-${cut}.log`);
      await writeFile(path, full.subarray(0, cut));
      const opened = await UpdateLog.open(path);
      expect(opened.updates).toEqual(records.slice(0, 2));
      expect(opened.discardedBytes).toBe(cut - lastStart);
      await opened.log.append([payload(7)]);
      await opened.log.close();
      // The record appended after the repair is not hidden behind the torn bytes.
      expect(await readLog(path)).toEqual([...records.slice(0, 2), payload(7)]);
    }
    const kept = (await readdir(dir)).filter((f) => f.startsWith(`torn-${lastStart + 3}.log.discarded-`));
    expect(kept).toHaveLength(1);
  });

  it('stops at a corrupted checksum or garbage instead of returning bad data', async () => {
    const records = [0, 1, 2].map((i) => payload(i, 16));
    const flipped = join(dir, 'flip.log');
    await writeLog(flipped, records);
    const bytes = await readFile(flipped);
    bytes[bytes.byteLength - 3]! ^= 0x40;
    await writeFile(flipped, bytes);
    expect(await readLog(flipped)).toEqual(records.slice(0, 2));

    const garbage = join(dir, 'garbage.log');
    await writeLog(garbage, records);
    await appendFile(garbage, Buffer.from([0xff, 0xff, 0xff, 0x7f, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    expect(await readLog(garbage)).toEqual(records);
  });

  it('treats a header torn at creation as an empty log, and refuses a foreign file', async () => {
    const torn = join(dir, 'header.log');
    await writeFile(torn, UPDATE_LOG_MAGIC.subarray(0, 3));
    const opened = await UpdateLog.open(torn);
    expect(opened.updates).toEqual([]);
    await opened.log.append([payload(1)]);
    await opened.log.close();
    expect(await readLog(torn)).toEqual([payload(1)]);

    const foreign = join(dir, 'foreign.log');
    await writeFile(foreign, 'this is somebody else’s file');
    await expect(UpdateLog.open(foreign)).rejects.toThrow(/not a Mixroom update log/);
    expect(await readFile(foreign, 'utf8')).toBe('this is somebody else’s file');
  });
});
