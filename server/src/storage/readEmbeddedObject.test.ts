import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedObjectReader, type ReadObject } from './readEmbeddedObject.ts';

let dir: string;
let read: ReadObject;
const bytes = Uint8Array.from({ length: 100 }, (_, i) => i);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mixroom-embedded-read-'));
  await mkdir(join(dir, 'mixroom', 'rooms', 'r'), { recursive: true });
  await writeFile(join(dir, 'mixroom', 'rooms', 'r', 'a.wav._S3rver_object'), bytes);
  await writeFile(join(dir, 'secret.txt._S3rver_object'), 'outside the bucket');
  read = createEmbeddedObjectReader(dir, 'mixroom');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function body(key: string, range?: string) {
  const r = await read(key, range);
  if (!r) return null;
  const chunks: Buffer[] = [];
  for await (const c of r.body) chunks.push(c as Buffer);
  return { status: r.status, range: r.contentRange, length: r.contentLength, bytes: new Uint8Array(Buffer.concat(chunks)) };
}

describe('createEmbeddedObjectReader', () => {
  it('serves whole objects and every form of a single byte range, as S3 does', async () => {
    expect(await body('rooms/r/a.wav')).toMatchObject({ status: 200, range: undefined, length: 100, bytes });
    expect(await body('rooms/r/a.wav', 'bytes=10-19')).toMatchObject({ status: 206, range: 'bytes 10-19/100', length: 10, bytes: bytes.subarray(10, 20) });
    expect(await body('rooms/r/a.wav', 'bytes=90-')).toMatchObject({ range: 'bytes 90-99/100', bytes: bytes.subarray(90) });
    expect(await body('rooms/r/a.wav', 'bytes=-5')).toMatchObject({ range: 'bytes 95-99/100', bytes: bytes.subarray(95) });
    expect(await body('rooms/r/a.wav', 'bytes=95-1000')).toMatchObject({ range: 'bytes 95-99/100', length: 5 });
    for (const bad of ['bytes=100-', 'bytes=50-40', 'bytes=-0', 'bytes=-']) {
      await expect(read('rooms/r/a.wav', bad), bad).rejects.toMatchObject({ name: 'InvalidRange' });
    }
  });

  it('treats missing objects and keys outside the bucket as missing', async () => {
    expect(await read('rooms/r/none.wav', undefined)).toBeNull();
    expect(await read('../secret.txt', undefined)).toBeNull();
    expect(await read('rooms/r/a.wav/x', undefined)).toBeNull();
  });
});
