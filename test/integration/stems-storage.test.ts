import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir, readFile, stat } from 'node:fs/promises';
import { EMBEDDED_CREDENTIALS_FILE, openObjectStore } from '../../server/src/storage/openObjectStore.ts';
import { parseS3Settings } from '../../server/src/storage/S3Settings.ts';
import { makeTempDir } from './syncHarness.ts';

let dir: { path: string; remove(): Promise<void> };
beforeAll(async () => {
  dir = await makeTempDir('mixroom-s3-');
});
afterAll(async () => {
  await dir.remove();
});

describe('embedded S3 store', () => {
  it('keeps objects and its per-install key across restarts, and answers no browser', async () => {
    const settings = parseS3Settings({ S3_DATA_DIR: `${dir.path}/s3`, S3_EMBEDDED_PORT: '0' });
    const first = await openObjectStore(settings, ['http://localhost:8787']);
    expect(first.embedded).toBe(true);
    expect(first.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await first.store.put('rooms/r/stems/x/analysis.json', '{"ok":true}', 'application/json');
    await first.close();

    // A random key pair, kept private in the store's folder (and never listed as a bucket).
    const keyFile = `${dir.path}/s3/${EMBEDDED_CREDENTIALS_FILE}`;
    const key = JSON.parse(await readFile(keyFile, 'utf8')) as { accessKeyId: string; secretAccessKey: string };
    expect(key.accessKeyId).toMatch(/^[A-Z0-9]{20}$/);
    expect(key.accessKeyId).not.toBe('S3RVER');
    expect(key.secretAccessKey.length).toBeGreaterThanOrEqual(40);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);

    const second = await openObjectStore(settings, ['http://localhost:8787']);
    try {
      expect(new TextDecoder().decode((await second.store.getBytes('rooms/r/stems/x/analysis.json'))!)).toBe('{"ok":true}');
      expect(JSON.parse(await readFile(keyFile, 'utf8'))).toEqual(key);
      // No CORS for anyone, and even a correctly presigned URL is refused: browsers use the app.
      const url = await second.store.presignGet('rooms/r/stems/x/analysis.json', 60);
      expect((await fetch(url)).status).toBe(403);
      const preflight = await fetch(url, { method: 'OPTIONS', headers: { origin: 'http://localhost:8787', 'access-control-request-method': 'PUT' } });
      expect(preflight.status).toBe(403);
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();

      // s3rver cannot abort a multipart upload; the embedded store's fallback removes the parts.
      const partsDir = `${dir.path}/s3/mixroom/._S3rver_uploads`;
      const id = await second.store.createMultipartUpload('uploads/r/abc', 'application/octet-stream');
      expect(await second.store.uploadPart('uploads/r/abc', id, 1, new Uint8Array(1000), 1000)).toMatch(/^"[0-9a-f]{32}"$/);
      expect(await readdir(partsDir)).toContain(id);
      expect(await second.store.abortMultipartUpload('uploads/r/abc', id)).toBe(true);
      expect(await readdir(partsDir)).not.toContain(id);
    } finally {
      await second.close();
    }
  });
});
