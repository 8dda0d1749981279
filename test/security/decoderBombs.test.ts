/**
 * Decoder bombs uploaded through the real stems API of the whole product (startMixroom on
 * port 0, embedded S3, an owner's session): a 64 KB FLAC that declares no length and expands
 * to gigabytes, an MP3 of garbage frames, WAVs that lie about their data size and shape, and
 * an Ogg Opus stream with no end. Each must be refused with a clear message, leave nothing
 * in storage or in the mix, and never stall the server: /healthz is timed while each one is
 * processed, and the process's RSS is sampled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMixState } from '@mixroom/shared/model';
import { HttpUser, connectWithCookie, whenSocketSynced } from '../integration/reviewHarness.ts';
import { encodeFlacFixture } from '../integration/stems-fixtures/encodeFlacFixture.ts';
import { testSignal } from '../integration/stems-fixtures/testSignal.ts';
import { startTestMixroom, type TestMixroom } from '../integration/startTestMixroom.ts';
import { flacBomb, mp3GarbageFrames, oggOpusWithoutEnd, wavLyingDataSize, wavLyingShape } from './craftDecoderBombs.ts';
import { formatProbe, startServerProbe, type ProbeReport } from './startServerProbe.ts';

/** Stems may be 5 minutes long here: the budget a bomb can fill is 5 min x 48 kHz x 2 channels (110 MB of float). */
const MAX_STEM_SECONDS = 300;

let product: TestMixroom;
let owner: HttpUser;
let roomId: string;
/** /healthz of the idle server, measured first: what the machine itself costs a probe. */
let idle: ProbeReport;

beforeAll(async () => {
  product = await startTestMixroom({ env: { MAX_STEM_SECONDS: String(MAX_STEM_SECONDS) } });
  owner = new HttpUser(product.url, 'owner');
  const created = await owner.json<{ room: { roomId: string } }>('POST', '/api/rooms', { title: 'Bombs', displayName: 'Olive' });
  expect(created.status).toBe(201);
  roomId = created.body.room.roomId;
  const probe = startServerProbe(product.url);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  idle = await probe.stop();
  console.info(formatProbe('idle server', idle));
});
afterAll(() => product?.close());

/** Every object this room has in storage (stems, peaks, analyses) and its pending uploads. */
async function storedKeys(room: string): Promise<string[]> {
  const store = product.objects.store;
  return [...(await store.listKeys(`rooms/${room}/`)), ...(await store.listKeys(`uploads/${room}/`))].sort();
}

/**
 * Uploads `bytes` as the owner through the stems API, then completes the upload (where the
 * server decodes it) while a probe times /healthz and samples RSS.
 */
async function upload(
  target: { product: TestMixroom; owner: HttpUser; roomId: string },
  fileName: string,
  bytes: Uint8Array,
): Promise<{ status: number; body: { error?: { code: string; message: string }; trackId?: string }; probe: ProbeReport; processingMs: number }> {
  const api = `/api/rooms/${target.roomId}/stems/uploads`;
  const init = await target.owner.json<{ uploadId: string; partSize: number; parts: { partNumber: number; url: string }[] }>('POST', api, {
    fileName,
    size: bytes.length,
  });
  expect(init.status).toBe(201);
  const parts = [];
  for (const p of init.body.parts) {
    const body = bytes.slice((p.partNumber - 1) * init.body.partSize, p.partNumber * init.body.partSize);
    // Part URLs on the app's own origin need the session; a store's presigned URL ignores it.
    const url = new URL(p.url, target.product.url).href;
    const sameOrigin = url.startsWith(target.product.url);
    const r = await fetch(url, { method: 'PUT', body, headers: sameOrigin ? { cookie: target.owner.cookie, origin: target.product.url } : {} });
    expect(r.ok).toBe(true);
    parts.push({ partNumber: p.partNumber, etag: r.headers.get('etag')! });
  }
  const probe = startServerProbe(target.product.url);
  const started = performance.now();
  const done = await target.owner.json<{ error?: { code: string; message: string }; trackId?: string }>('POST', `${api}/${init.body.uploadId}/complete`, { parts });
  const processingMs = performance.now() - started;
  const report = await probe.stop();
  console.info(`${formatProbe(fileName, report)}; processed in ${processingMs.toFixed(0)} ms; answer ${done.status} ${JSON.stringify(done.body).slice(0, 200)}`);
  return { ...done, probe: report, processingMs };
}

async function expectRefused(fileName: string, bytes: Uint8Array, code: string, message: RegExp): Promise<ProbeReport & { processingMs: number }> {
  const before = await storedKeys(roomId);
  const r = await upload({ product, owner, roomId }, fileName, bytes);
  expect(r.status).toBeGreaterThanOrEqual(400);
  expect(r.body.error?.code).toBe(code);
  expect(r.body.error?.message).toMatch(message);
  expect(await storedKeys(roomId)).toEqual(before);
  return { ...r.probe, processingMs: r.processingMs };
}

/**
 * What a bomb may cost the server while it is processed: RSS grows by at most the budget's
 * samples plus what the worker needs (before: 2.4 GB), and health checks keep being answered.
 */
function expectServerUnharmed(probe: ProbeReport): void {
  expect(probe.count).toBeGreaterThan(0);
  expect(probe.rssPeakMb - probe.rssBaseMb).toBeLessThan(600);
}

/**
 * For bombs that take long to decode: the event loop stays free while they do. Decoded on
 * the main thread, one health check waited for the whole decode (7.6 s of a 7.6 s upload);
 * off it, the longest wait is a small share of the processing time. A ratio, not a time,
 * so a loaded machine slows both sides alike.
 */
function expectMainThreadFree(probe: ProbeReport & { processingMs: number }): void {
  expect(probe.processingMs).toBeGreaterThan(probe.maxMs);
  expect(probe.maxMs / probe.processingMs).toBeLessThan(0.5);
}

describe('decoder bombs are refused within the budget, off the main thread', () => {
  it('the 64 KB FLAC with no declared length (used to decode into 2.38 GB on the main thread)', async () => {
    const bomb = flacBomb(64 * 1024);
    const probe = await expectRefused('bomb.flac', bomb, 'too-long', /"bomb\.flac": The FLAC file does not declare its length and decodes past the limit of 5 min 0 s/);
    expectServerUnharmed(probe);
    expectMainThreadFree(probe);
  });

  it('an MP3 of garbage frames claiming hours: refused from its frame count, before decoding', async () => {
    const probe = await expectRefused('garbage.mp3', mp3GarbageFrames(4 * 1024 * 1024), 'too-long', /"garbage\.mp3": The stem is \d+ min \d+ s long; the limit is 5 min 0 s/);
    expectServerUnharmed(probe);
  });

  it('an Ogg Opus stream with no end, 255 one-byte packets a page', async () => {
    const probe = await expectRefused('endless.opus', oggOpusWithoutEnd(200), 'too-long', /"endless\.opus": The OGG Opus file does not declare its length and decodes past the limit of 5 min 0 s/);
    expectServerUnharmed(probe);
    expectMainThreadFree(probe);
  });

  it('WAVs that lie: a data size past the file, 65535 channels, a 4 GHz rate', async () => {
    expectServerUnharmed(await expectRefused('liar.wav', wavLyingDataSize(0xfffffff0, 1 << 20), 'truncated', /WAV file is truncated/));
    expectServerUnharmed(await expectRefused('wide.wav', wavLyingShape(65535, 48000, 4 << 20), 'unsupported-format', /"wide\.wav" has 65535 channels/));
    expectServerUnharmed(await expectRefused('fast.wav', wavLyingShape(1, 4_000_000_000, 4 << 20), 'sample-rate-mismatch', /"fast\.wav" is 4000000000 Hz but this session runs at 48000 Hz/));
  });

  it('after all that, a real stem still goes through and lands in the mix', async () => {
    const socket = connectWithCookie(product.url, roomId, owner.cookie);
    await whenSocketSynced(socket);
    const r = await upload({ product, owner, roomId }, 'tone.flac', await encodeFlacFixture(testSignal(3, 48000), 48000, 24));
    expect(r.status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(readMixState(socket.doc).tracks.map((t) => t.name)).toContain('tone');
    socket.destroy();
  });
});

describe('a stem worker that dies or runs out of its limits', () => {
  it('gives a clear error and leaves nothing behind (heap limit, then time limit)', async () => {
    for (const [env, why] of [
      [{ STEM_WORKER_HEAP_MB: '8' }, /could not be processed: decoding it needed more than 8 MB of memory|could not be processed: the decoder (crashed|stopped)/],
      [{ STEM_WORKER_TIMEOUT_MS: '1' }, /could not be processed: decoding it took longer than 0 s/],
    ] as const) {
      const small = await startTestMixroom({ env });
      try {
        const smallOwner = new HttpUser(small.url, 'owner');
        const created = await smallOwner.json<{ room: { roomId: string } }>('POST', '/api/rooms', { title: 'Small', displayName: 'Olive' });
        const room = created.body.room.roomId;
        const r = await upload({ product: small, owner: smallOwner, roomId: room }, 'tone.flac', await encodeFlacFixture(testSignal(1, 48000), 48000, 16));
        expect(r.status).toBe(422);
        expect(r.body.error?.code).toBe('unprocessable');
        expect(r.body.error?.message).toMatch(why);
        expect(r.body.error?.message).toMatch(/^"tone\.flac" could not be processed: .*Nothing was stored\.$/);
        const store = small.objects.store;
        expect([...(await store.listKeys(`rooms/${room}/stems`)), ...(await store.listKeys(`uploads/${room}/`))]).toEqual([]);
        expect((await fetch(`${small.url}/healthz`)).status).toBe(200);
      } finally {
        await small.close();
      }
    }
  });
});
