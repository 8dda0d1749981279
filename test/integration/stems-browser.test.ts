import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { readMixState } from '@mixroom/shared/model';
import { bundleForBrowser } from '../browser/bundleForBrowser.ts';
import { launchChromium } from '../browser/launchChromium.ts';
import { startStemsTestServer, type StemsTestServer } from './stems-fixtures/startStemsTestServer.ts';
import { connectClient, waitFor, whenSynced } from './syncHarness.ts';
import { api, uploadStem } from './stems-fixtures/stemApi.ts';
import { encodeFlacFixture } from './stems-fixtures/encodeFlacFixture.ts';
import { encodeMp3Fixture, encodeOpusFixture, encodeVorbisFixture } from './stems-fixtures/encodeLossyFixture.ts';
import { testSignal } from './stems-fixtures/testSignal.ts';
import { decodeWav } from '../../server/src/stems/decodeWav.ts';

let t: StemsTestServer;
let browser: Browser;

beforeAll(async () => {
  const script = await bundleForBrowser('test/integration/stems-fixtures/uploadPanelPage.ts');
  // The page loads its script from the app's origin: the app's CSP allows no inline script.
  const page = '<!doctype html><meta charset="utf-8"><body><script type="module" src="/upload-test.js"></script></body>';
  t = await startStemsTestServer({ maxStemBytes: 64 * 1024 * 1024, maxStemSeconds: 600 }, [
    (app) => app.get('/upload-test', (c) => c.html(page)),
    (app) => app.get('/upload-test.js', (c) => c.body(script, 200, { 'content-type': 'text/javascript; charset=utf-8' })),
  ]);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** Which upload part a part PUT carries: read from the app link's signed payload (the token is not secret to its holder). */
function partOf(url: string): { key: string; part: string } | null {
  const token = new URL(url).pathname.match(/^\/api\/objects\/([^/]+)$/)?.[1];
  if (!token) return null;
  const payload = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { m: string; k: string; p?: number };
  return payload.m === 'PUT' ? { key: payload.k, part: String(payload.p) } : null;
}

type Item = { file: string; phase: string; status: string; error: string | null; progress: number };
const items = (page: Page) => page.evaluate(() => (window as unknown as { harness: { items(): Item[] } }).harness.items());
const add = (page: Page, files: { seconds: number; name: string; lastModified: number; freq?: number; text?: string }[]) =>
  page.evaluate((f) => (window as unknown as { harness: { add(x: typeof f): void } }).harness.add(f), files);

async function waitForItems(page: Page, what: string, predicate: (items: Item[]) => boolean): Promise<Item[]> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const now = await items(page);
    if (predicate(now)) return now;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(now)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('mr-upload-panel in real Chromium, straight to the embedded S3', () => {
  it('uploads many files at once with progress, shows a refusal, and retries a failed part', async () => {
    const room = 'browser-many';
    const listener = connectClient(t.server.url, room, { role: 'listener' });
    await whenSynced(listener);
    const page = await browser.newPage();
    // The first PUT of part 2 of any upload fails at the network level: it must be retried.
    const putsByPart = new Map<string, number>();
    await page.route(/\/api\/objects\//, async (route) => {
      const put = partOf(route.request().url());
      if (!put) return route.continue();
      const id = `${put.key}#${put.part}`;
      const n = (putsByPart.get(id) ?? 0) + 1;
      putsByPart.set(id, n);
      if (put.part === '2' && n === 1) return route.abort('connectionreset');
      return route.continue();
    });
    const progressSeen = new Set<number>();
    await page.goto(`${t.server.url}/upload-test?room=${room}`);
    await add(page, [
      { seconds: 130, name: 'Drums.wav', lastModified: 1 }, // 12.5 MB: 3 parts
      { seconds: 3, name: 'Bass.wav', lastModified: 2, freq: 55 },
      { seconds: 2, name: 'Keys.wav', lastModified: 3, freq: 880 },
      { seconds: 0, name: 'notes.txt', lastModified: 4, text: 'not audio at all '.repeat(40) },
    ]);
    const final = await waitForItems(page, 'all finished', (now) => {
      for (const i of now) if (i.file === 'Drums.wav') progressSeen.add(i.progress);
      return now.length === 4 && now.every((i) => i.phase === 'done' || i.phase === 'error');
    });
    expect(final.find((i) => i.file === 'Drums.wav')).toMatchObject({ phase: 'done', progress: 100, status: 'Added to the mix' });
    expect(final.find((i) => i.file === 'Bass.wav')!.phase).toBe('done');
    expect(final.find((i) => i.file === 'Keys.wav')!.phase).toBe('done');
    const refused = final.find((i) => i.file === 'notes.txt')!;
    expect(refused.phase).toBe('error');
    expect(refused.error).toMatch(/"notes\.txt": This file is not audio we recognise/);
    // The bar moved through intermediate values, not just 0 -> 100.
    expect([...progressSeen].some((p) => p > 0 && p < 100)).toBe(true);
    // Part 2 of the big file was sent twice (one failure, one retry).
    expect([...putsByPart.entries()].filter(([id, n]) => id.endsWith('#2') && n === 2)).toHaveLength(1);
    await waitFor('three tracks for the listener', () => readMixState(listener.doc).tracks.length === 3);
    expect(readMixState(listener.doc).tracks.map((tr) => tr.name).sort()).toEqual(['Bass', 'Drums', 'Keys']);
    expect(await t.storage.store.listKeys(`uploads/${room}/`)).toEqual([]);
    listener.destroy();
    await page.close();
  });

  it('accepts files dropped on the zone', async () => {
    const page = await browser.newPage();
    await page.goto(`${t.server.url}/upload-test?room=browser-drop`);
    await page.evaluate(() =>
      (window as unknown as { harness: { drop(f: { seconds: number; name: string; lastModified: number }[]): void } }).harness.drop([
        { seconds: 1, name: 'Tom 1.wav', lastModified: 1 },
        { seconds: 1, name: 'Tom 2.wav', lastModified: 2 },
      ]),
    );
    const final = await waitForItems(page, 'dropped files done', (now) => now.length === 2 && now.every((i) => i.phase === 'done'));
    expect(final.map((i) => i.file).sort()).toEqual(['Tom 1.wav', 'Tom 2.wav']);
    expect(await page.evaluate(() => (window as unknown as { harness: { uploaded: string[] } }).harness.uploaded.sort())).toEqual(['Tom 1.wav', 'Tom 2.wav']);
    await page.close();
  });

  it('resumes after a page reload: parts S3 already has are not sent again', async () => {
    const room = 'browser-resume';
    const page = await browser.newPage();
    const sent: string[] = [];
    // Before the reload, parts 2 and 3 hang (a dead connection); part 1 gets through.
    let hang = true;
    await page.route(/\/api\/objects\//, async (route) => {
      const put = partOf(route.request().url());
      if (!put) return route.continue();
      const part = put.part;
      if (hang && part !== '1') return; // never answered: the reload kills it
      sent.push(`${hang ? 'before' : 'after'}:${part}`);
      return route.continue();
    });
    await page.goto(`${t.server.url}/upload-test?room=${room}`);
    const file = { seconds: 130, name: 'Vocals.wav', lastModified: 1234567 };
    await add(page, [file]);
    await waitFor('part 1 acknowledged and recorded', () => sent.includes('before:1'));
    await page.waitForFunction(() => Object.values(localStorage).some((v) => v.includes('"etags":{"1"')));
    await page.reload();
    hang = false;
    await add(page, [file]);
    const final = await waitForItems(page, 'resumed upload finished', (now) => now.length === 1 && (now[0]!.phase === 'done' || now[0]!.phase === 'error'));
    expect(final[0]).toMatchObject({ phase: 'done', progress: 100 });
    expect(sent.filter((s) => s.startsWith('after:')).sort()).toEqual(['after:2', 'after:3']);
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('mixroom.upload.')))).toEqual([]);
    await page.close();
  });

  // For lossy codecs a null against the source signal cannot reach -90 dB; the reference
  // here is an independent decoder: Chromium's own (FFmpeg's for MP3 and Vorbis, libopus
  // for Opus), decoding the same bytes. The server's decode is what browsers play (the
  // playback copy), so this is also the browser/server parity of every lossy stem.
  it.each([
    ['MP3', 'x.mp3', () => encodeMp3Fixture(testSignal(2, 48000), 48000), -90, -100],
    ['OGG Vorbis', 'x.ogg', () => encodeVorbisFixture(testSignal(2, 48000), 48000), -90, -100],
    // Opus decoders are conformant within a tolerance (RFC 6716 / opus_compare), not
    // bit-exact, and Chromium's outputs 16-bit fixed point: measured -84 and -88 dB below
    // this signal's RMS (-92 and -97 dBFS) for the two channels. So the -90 dB bar is
    // held in dBFS here, and -80 dB re signal.
    ['OGG Opus', 'x.opus', () => encodeOpusFixture(testSignal(2, 48000)), -80, -90],
    ['FLAC', 'x.flac', () => encodeFlacFixture(testSignal(2, 48000), 48000, 24), -90, -130],
  ] as const)('%s decodes to within -90 dB of Chromium decoding the same file', async (label, name, make, maxReSignal, maxDbfs) => {
    const bytes = await make();
    const room = `ref-${label.replace(/\W/g, '')}`;
    const r = await uploadStem(t.server.url, room, name, bytes);
    expect(r.status).toBe(201);
    const url = await api(t.server.url, `/api/rooms/${room}/stems/${r.body.analysis.contentHash}/url?variant=playback`);
    const served = decodeWav(new Uint8Array(await (await fetch(new URL(url.body.url, t.server.url))).arrayBuffer()), { maxSeconds: 100 });
    const page = await browser.newPage();
    await page.setContent('<!doctype html><title>decode</title>');
    const chrome: number[][] = await page.evaluate(async (data) => {
      const ctx = new OfflineAudioContext(2, 48000, 48000);
      const buf = await ctx.decodeAudioData(new Uint8Array(data).buffer);
      return [Array.from(buf.getChannelData(0)), Array.from(buf.getChannelData(1))];
    }, Array.from(bytes));
    await page.close();
    expect(served.frames).toBe(chrome[0]!.length);
    for (let c = 0; c < 2; c++) {
      const s = served.channelData[c]!;
      const k = chrome[c]!;
      let err = 0;
      let ref = 0;
      for (let i = 0; i < k.length; i++) {
        err += (s[i]! - k[i]!) ** 2;
        ref += k[i]! ** 2;
      }
      const reSignal = 10 * Math.log10(err / ref);
      const dbfs = 10 * Math.log10(err / k.length / 0.5); // re a full-scale sine's power
      expect(reSignal).toBeLessThan(maxReSignal);
      expect(dbfs).toBeLessThan(maxDbfs);
    }
  });
});
