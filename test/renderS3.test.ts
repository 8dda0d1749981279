import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMixPlan, type MixPlan } from '@mixroom/shared/plan';
import type { StemRef } from '@mixroom/shared/model';
import { testMix } from '../shared/src/plan/testing/testMix.ts';
import { BakeError } from '../server/src/render/BakeError.ts';
import type { BakeProgress } from '../server/src/render/BakeProgress.ts';
import { createFileStemSource } from '../server/src/render/input/createFileStemSource.ts';
import { createS3StemSource } from '../server/src/render/input/createS3StemSource.ts';
import { renderBake } from '../server/src/render/renderBake.ts';
import { createS3Client } from '../server/src/storage/createS3Client.ts';
import { startEmbeddedS3, type EmbeddedS3 } from '../server/src/storage/startEmbeddedS3.ts';
import { createEmbeddedStemSource } from '../server/src/render/input/createEmbeddedStemSource.ts';
import { floatWav, noise, sine, tempDir, writeStem } from './renderFixtures.ts';

const BUCKET = 'mixroom-render-test';
const RATE = 48000;
const SHORT = RATE * 4 + 5;
const LONG = RATE * 40;

let s3server: EmbeddedS3;
let s3: S3Client;
let dir: string;
let dispose: () => Promise<void>;

const stemKey = (name: string) => `rooms/r1/stems/${createHash('sha256').update(name).digest('hex')}/source.wav`;
const ref = (name: string, channels: number, frames: number): StemRef => ({ key: stemKey(name), fileName: `${name}.wav`, sampleRate: RATE, channels, frames });

beforeAll(async () => {
  ({ dir, dispose } = await tempDir());
  s3server = await startEmbeddedS3({ dataDir: path.join(dir, 's3'), port: 0 });
  s3 = createS3Client({ endpoint: s3server.endpoint, region: 'us-east-1', ...s3server.credentials, forcePathStyle: true });
  const { CreateBucketCommand } = await import('@aws-sdk/client-s3');
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const put = async (name: string, bytes: Uint8Array) => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: stemKey(name), Body: bytes }));
  };
  const drums = [noise(SHORT, 0.4, 3), noise(SHORT, 0.4, 4)];
  const bass = [sine(SHORT, 60, 0.5)];
  await put('drums', floatWav(drums));
  await put('bass', floatWav(bass));
  await put('long', floatWav([noise(LONG, 0.2, 5), noise(LONG, 0.2, 6)]));
  await put('cut', floatWav(drums).subarray(0, 44 + SHORT * 4)); // header says SHORT stereo frames, holds half
  // The same stems on disk, keyed identically, for the file-source comparison.
  const local = path.join(dir, 'local', path.dirname(stemKey('drums')));
  const { mkdir } = await import('node:fs/promises');
  await mkdir(local, { recursive: true });
  await mkdir(path.join(dir, 'local', path.dirname(stemKey('bass'))), { recursive: true });
  await writeStem(path.join(dir, 'local'), stemKey('drums'), drums);
  await writeStem(path.join(dir, 'local'), stemKey('bass'), bass);
});

afterAll(async () => {
  s3?.destroy();
  await s3server?.close();
  await dispose?.();
});

const s3Stems = () => createS3StemSource({ s3, bucket: BUCKET });
const store = { get s3() { return s3; }, bucket: BUCKET, keyPrefix: 'rooms/r1/bakes' };
const listBakes = async () =>
  ((await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'rooms/r1/bakes/' }))).Contents ?? []).map((o) => o.Key);

const mix = (): MixPlan =>
  buildMixPlan(
    testMix.state([
      testMix.track('drums', { name: 'Drums', stem: ref('drums', 2, SHORT), gain: -3 }),
      testMix.track('bass', { name: 'Bass', stem: ref('bass', 1, SHORT), pan: -0.2 }),
    ]),
  );

describe('bake against real S3 (embedded s3rver)', () => {
  it('streams stems from S3, stores the bake under its SHA-256, and matches the file-source bake byte for byte', async () => {
    const progress: BakeProgress[] = [];
    const result = await renderBake(mix(), { stems: s3Stems(), format: 'wav24', store, onProgress: (p) => progress.push(p) });
    expect(result.stored?.key).toBe(`rooms/r1/bakes/${result.sha256}.wav`);
    const obj = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: result.stored!.key }));
    const bytes = new Uint8Array(await obj.Body!.transformToByteArray());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(result.sha256);
    expect(obj.Metadata?.sha256).toBe(result.sha256);
    expect(bytes.length).toBe(44 + SHORT * 2 * 3);
    expect(progress.at(-1)?.percent).toBe(100);
    expect(progress.at(-1)?.etaSeconds).toBe(0);

    const local = await renderBake(mix(), { stems: createFileStemSource(path.join(dir, 'local')), format: 'wav24' });
    expect(local.sha256).toBe(result.sha256); // same samples, same dither, same bytes

    // The embedded store's own files, read directly (the server's embedded default): same bytes.
    const embedded = await renderBake(mix(), { stems: createEmbeddedStemSource({ dataDir: path.join(dir, 's3'), bucket: BUCKET }), format: 'wav24' });
    expect(embedded.sha256).toBe(result.sha256);
    const outside = await renderBake(
      buildMixPlan(testMix.state([testMix.track('x', { stem: { ...ref('drums', 2, SHORT), key: '../../../etc/passwd' } })])),
      { stems: createEmbeddedStemSource({ dataDir: path.join(dir, 's3'), bucket: BUCKET }), format: 'wav24' },
    ).catch((e: unknown) => e);
    expect((outside as BakeError).code).toBe('stem-missing');
    expect((outside as BakeError).message).not.toContain(dir);

    // In the smallest ranges a stem takes two dozen GETs, so each of its two range buffers is
    // refilled many times while the other is read: still the same bytes.
    const small = await renderBake(mix(), { stems: createS3StemSource({ s3, bucket: BUCKET, rangeBytes: 64 * 1024 }), format: 'wav24' });
    expect(small.sha256).toBe(result.sha256);
  });

  it('cancelled mid-bake: rejects with "cancelled", stores nothing, leaves no temp file', async () => {
    const tmp = path.join(dir, 'tmp-cancel');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(tmp);
    const controller = new AbortController();
    let abortedAt: number | null = null;
    const plan = buildMixPlan(testMix.state([testMix.track('long', { stem: ref('long', 2, LONG) })]));
    const before = await listBakes();
    const err = await renderBake(plan, {
      stems: s3Stems(),
      format: 'flac',
      store,
      tmpDir: tmp,
      blockFrames: 4096,
      signal: controller.signal,
      onProgress: (p) => {
        if (abortedAt === null && p.framesDone > 0) {
          abortedAt = p.percent;
          controller.abort();
        }
      },
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BakeError);
    expect((err as BakeError).code).toBe('cancelled');
    expect(abortedAt).not.toBeNull();
    expect(abortedAt!).toBeLessThan(100);
    expect(await listBakes()).toEqual(before);
    expect(await readdir(tmp)).toEqual([]);
  });

  it('fails with a clear error naming the track when a stem object is missing', async () => {
    const plan = buildMixPlan(testMix.state([testMix.track('ghost', { name: 'Ghost', stem: ref('never-uploaded', 2, SHORT) })]));
    const err = await renderBake(plan, { stems: s3Stems(), format: 'wav16', store, trackNames: { ghost: 'Ghost' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BakeError);
    expect((err as BakeError).code).toBe('stem-missing');
    expect((err as BakeError).message).toContain('Track "Ghost"');
  });

  it('fails on a truncated stem object instead of baking a gap', async () => {
    const before = await listBakes();
    const plan = buildMixPlan(testMix.state([testMix.track('cut', { stem: ref('cut', 2, SHORT) })]));
    const err = await renderBake(plan, { stems: s3Stems(), format: 'wav24', store, trackNames: { cut: 'Overheads' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BakeError);
    expect((err as BakeError).code).toBe('stem-truncated');
    expect((err as BakeError).message).toMatch(/Track "Overheads".*truncated/);
    expect(await listBakes()).toEqual(before);
  });

  it('bakes 60 stems through one S3 client (more stems than its 50 sockets) without stalling', async () => {
    const frames = RATE; // 1 s, 188 KiB per stem: several 64 KiB ranges each
    const tracks = [];
    for (let i = 0; i < 60; i++) {
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: stemKey(`many${i}`), Body: floatWav([sine(frames, 100 + i * 10, 0.01)]) }));
      tracks.push(testMix.track(`m${String(i).padStart(2, '0')}`, { stem: ref(`many${i}`, 1, frames) }));
    }
    const result = await renderBake(buildMixPlan(testMix.state(tracks)), {
      stems: createS3StemSource({ s3, bucket: BUCKET, rangeBytes: 64 * 1024 }),
      format: 'wav16',
    });
    expect(result.frames).toBe(frames);
    expect(result.loudness.integratedLufs).not.toBeNull();
  });
});
