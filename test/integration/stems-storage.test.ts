import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir } from 'node:fs/promises';
import { openObjectStore } from '../../server/src/storage/openObjectStore.ts';
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
  it('keeps objects across restarts, sets the bucket up once, and serves CORS to the app origin only', async () => {
    const settings = parseS3Settings({ S3_DATA_DIR: `${dir.path}/s3`, S3_EMBEDDED_PORT: '0' });
    const origin = 'http://localhost:8787';
    const first = await openObjectStore(settings, [origin]);
    expect(first.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(first.corsConfigured).toBe(true);
    await first.store.put('rooms/r/stems/x/analysis.json', '{"ok":true}', 'application/json');
    await first.close();

    const second = await openObjectStore(settings, [origin]);
    try {
      expect(new TextDecoder().decode((await second.store.getBytes('rooms/r/stems/x/analysis.json'))!)).toBe('{"ok":true}');
      const url = await second.store.presignGet('rooms/r/stems/x/analysis.json', 60);
      const preflight = (o: string) =>
        fetch(url, { method: 'OPTIONS', headers: { origin: o, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type' } });
      const ok = await preflight(origin);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('access-control-allow-methods')).toContain('PUT');
      const get = await fetch(url, { headers: { origin } });
      expect(get.headers.get('access-control-allow-origin')).toBe(origin);
      expect(get.headers.get('access-control-expose-headers')).toContain('ETag');
      expect((await preflight('http://evil.example')).status).toBe(403);

      // s3rver cannot abort a multipart upload; the embedded store's fallback removes the parts.
      const partsDir = `${dir.path}/s3/mixroom/._S3rver_uploads`;
      const id = await second.store.createMultipartUpload('uploads/r/abc', 'application/octet-stream');
      const put = await fetch(await second.store.presignUploadPart('uploads/r/abc', id, 1, 60), { method: 'PUT', body: new Uint8Array(1000) });
      expect(put.status).toBe(200);
      expect(await readdir(partsDir)).toContain(id);
      expect(await second.store.abortMultipartUpload('uploads/r/abc', id)).toBe(true);
      expect(await readdir(partsDir)).not.toContain(id);
    } finally {
      await second.close();
    }
  });
});
