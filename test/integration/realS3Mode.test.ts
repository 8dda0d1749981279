import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetBucketCorsCommand } from '@aws-sdk/client-s3';
import type { Browser } from 'playwright-core';
import { startEmbeddedS3, type EmbeddedS3 } from '../../server/src/storage/startEmbeddedS3.ts';
import { launchChromium } from '../browser/launchChromium.ts';
import { buildClient, monoWav16 } from '../e2e/roomHarness.ts';
import { freePort } from '../e2e/startCaddy.ts';
import { HttpUser } from './reviewHarness.ts';
import { startTestMixroom, type TestMixroom } from './startTestMixroom.ts';
import { makeTempDir } from './syncHarness.ts';

/**
 * The real-S3 mode (S3_EMBEDDED=false): browsers use presigned URLs straight to S3. The S3
 * here is a stand-in that checks signatures as S3 does, presigned URLs included (s3rver
 * behind our SigV4 guard with `acceptPresignedUrls`), so a part URL's signed length is
 * really enforced, and CORS is answered from the bucket's rule.
 */
const FS = 48_000;
let dir: { path: string; remove(): Promise<void> };
let s3: EmbeddedS3;
let product: TestMixroom;
let publicUrl: string;
let browser: Browser;

beforeAll(async () => {
  dir = await makeTempDir('mixroom-real-s3-');
  await buildClient(`${dir.path}/client`);
  s3 = await startEmbeddedS3({ dataDir: `${dir.path}/s3`, port: 0, acceptPresignedUrls: true });
  // The app's own origin is its public URL here (a fixed port, so the CORS rule can name it).
  const port = await freePort();
  publicUrl = `http://localhost:${port}`;
  product = await startTestMixroom({
    clientDistDir: `${dir.path}/client`,
    env: {
      PORT: String(port),
      PUBLIC_URL: publicUrl,
      S3_EMBEDDED: 'false',
      S3_ENDPOINT: s3.endpoint,
      S3_ACCESS_KEY_ID: s3.credentials.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
    },
  });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await product?.close();
  await s3?.close();
  await dir?.remove();
});

describe('real S3 mode', () => {
  it('hands out presigned S3 URLs: part URLs sign their length, stems are read with Range', async () => {
    expect(product.objects.embedded).toBe(false);
    const cors = await product.objects.store.s3.send(new GetBucketCorsCommand({ Bucket: 'mixroom' }));
    expect(cors.CORSRules?.[0]?.AllowedOrigins).toEqual([publicUrl]);
    expect(cors.CORSRules?.[0]?.ExposeHeaders).toContain('ETag');

    const owner = new HttpUser(product.url, 'owner');
    const roomId = (await owner.json<{ room: { roomId: string } }>('POST', '/api/rooms', { title: 'S3', displayName: 'Olive' })).body.room.roomId;
    const wav = monoWav16((i) => 0.25 * Math.sin((2 * Math.PI * 220 * i) / FS), 2 * FS);
    const init = await owner.json<{ uploadId: string; parts: { partNumber: number; url: string }[] }>('POST', `/api/rooms/${roomId}/stems/uploads`, { fileName: 'a.wav', size: wav.length });
    const url = init.body.parts[0]!.url;
    expect(url.startsWith(`${s3.endpoint}/mixroom/uploads/${roomId}/`)).toBe(true);
    expect(new URL(url).searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;host');

    // S3 refuses another length (the signature covers it), and takes the exact one.
    const longer = new Uint8Array(wav.length + 1024);
    longer.set(wav);
    const refused = await fetch(url, { method: 'PUT', body: longer });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('SignatureDoesNotMatch');
    const put = await fetch(url, { method: 'PUT', body: wav.slice() });
    expect(put.status).toBe(200);
    const done = await owner.json<{ analysis: { contentHash: string } }>('POST', `/api/rooms/${roomId}/stems/uploads/${init.body.uploadId}/complete`, {
      parts: [{ partNumber: 1, etag: put.headers.get('etag') }],
    });
    expect(done.status).toBe(201);

    const source = (await owner.json<{ url: string }>('GET', `/api/rooms/${roomId}/stems/${done.body.analysis.contentHash}/url?variant=source`)).body.url;
    expect(source.startsWith(`${s3.endpoint}/`)).toBe(true);
    const ranged = await fetch(source, { headers: { range: 'bytes=0-3' } });
    expect(ranged.status).toBe(206);
    expect(await ranged.text()).toBe('RIFF');
    expect(ranged.headers.get('content-disposition')).toMatch(/^attachment; filename="a\.wav"/);
    // No app object route in this mode; the CSP lets pages reach the S3 origin.
    expect((await fetch(`${product.url}/api/objects/x.y`)).status).toBe(404);
    const csp = (await fetch(`${product.url}/healthz`)).headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`connect-src 'self' ${s3.endpoint}`);
  });

  it('a browser on PUBLIC_URL uploads through the room UI and loads the stem straight from S3 (CORS + CSP)', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to|CORS/.test(m.text())) problems.push(m.text());
    });
    const toS3: string[] = [];
    context.on('request', (r) => {
      if (r.url().startsWith(s3.endpoint)) toS3.push(`${r.method()} ${new URL(r.url()).pathname}`);
    });
    await page.goto(`${publicUrl}/healthz`);
    const roomId = await page.evaluate(async () => {
      const r = await fetch('/api/rooms', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'S3 room', displayName: 'Olive' }) });
      return ((await r.json()) as { room: { roomId: string } }).room.roomId;
    });
    await page.goto(`${publicUrl}/room/${roomId}`);
    await page.waitForFunction(() => Boolean((window as unknown as { __mixroom?: { engine?: unknown } }).__mixroom?.engine), null, { timeout: 30_000 });
    await page.getByRole('button', { name: 'Upload stems' }).click();
    const wav = monoWav16((i) => 0.25 * Math.sin((2 * Math.PI * 330 * i) / FS), 3 * FS);
    await page.locator('mr-upload-panel input[type="file"][multiple]').setInputFiles({ name: 'Lead.wav', mimeType: 'audio/wav', buffer: Buffer.from(wav) });
    await page.getByRole('slider', { name: 'Lead fader', exact: true }).waitFor({ timeout: 30_000 });
    // Peaks drawn and the playback window read (Range GETs from S3, cross-origin).
    await page.waitForFunction(
      () => {
        const media = (window as unknown as { __mixroom: { media: { peaks(): Map<string, unknown>; progress(): Map<string, number> } } }).__mixroom.media;
        return media.peaks().size === 1 && media.progress().size === 0;
      },
      null,
      { timeout: 30_000 },
    );
    expect(toS3.some((r) => r.startsWith('PUT /mixroom/uploads/'))).toBe(true);
    expect(toS3.filter((r) => r.startsWith('GET /mixroom/rooms/')).length).toBeGreaterThanOrEqual(2);
    expect(problems).toEqual([]);
    await context.close();
  });
});
