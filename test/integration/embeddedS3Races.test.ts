import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openObjectStore, type OpenedObjectStore } from '../../server/src/storage/openObjectStore.ts';
import { parseS3Settings } from '../../server/src/storage/S3Settings.ts';
import { makeTempDir } from './syncHarness.ts';

/**
 * The embedded store (s3rver) keeps objects as files and removes a key's folder as soon as it
 * looks empty on delete. A PUT into the same folder at that moment used to find its folder gone
 * and throw ENOENT from a write stream nobody listened to: an uncaught exception in the server
 * process (seen with 40 parallel uploads into one room). patches/s3rver@3.7.1.patch listens for
 * those errors and retries the write once after recreating the folder.
 */
describe('embedded S3 under concurrent writes and deletes in one folder', () => {
  let dir: { path: string; remove(): Promise<void> };
  let s3: OpenedObjectStore;
  beforeAll(async () => {
    dir = await makeTempDir('mixroom-s3race-');
    s3 = await openObjectStore(parseS3Settings({ S3_DATA_DIR: `${dir.path}/s3`, S3_EMBEDDED_PORT: '0' }), ['http://localhost:8787']);
  });
  afterAll(async () => {
    await s3.close();
    await dir.remove();
  });

  it('never loses a write and never throws out of the process', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      const rounds = 150;
      for (let i = 0; i < rounds; i++) {
        const folder = `uploads/race${i % 5}`;
        // The folder holds exactly one object, deleted while two others are written into it.
        await s3.store.put(`${folder}/old-${i}.json`, '{"old":true}', 'application/json');
        await Promise.all([
          s3.store.delete(`${folder}/old-${i}.json`),
          s3.store.put(`${folder}/new-${i}.json`, `{"i":${i}}`, 'application/json'),
          s3.store.put(`${folder}/also-${i}.json`, `{"i":${i}}`, 'application/json'),
        ]);
        for (const key of [`${folder}/new-${i}.json`, `${folder}/also-${i}.json`]) {
          const bytes = await s3.store.getBytes(key);
          expect(bytes && new TextDecoder().decode(bytes)).toBe(`{"i":${i}}`);
          await s3.store.delete(key);
        }
      }
      // Let any stray stream error surface before judging.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });
});
