import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverableWarnings, RENDER_FORMATS, type BakeRecord } from '@mixroom/shared/review';
import { DEMO_SAMPLE_RATE } from '../../server/src/demo/synthesizeDemoStems.ts';
import { HttpUser, sha256 } from './reviewHarness.ts';
import { startTestMixroom, type TestMixroom } from './startTestMixroom.ts';

/**
 * A version of the demo room baked by the whole product as `pnpm start` wires it: stems
 * uploaded through the stems path into the embedded store, read back by the bake from the
 * store's own files (createEmbeddedStemSource, via each stem's playback key), every format
 * encoded in its thread, measured, stored, and downloadable.
 */
let product: TestMixroom;
beforeAll(async () => {
  product = await startTestMixroom({ seedDemo: true });
  await product.demoReady;
}, 180_000);
afterAll(() => product?.close());

describe('the product bakes a version of the demo room', () => {
  it('from the embedded store\'s files, into four measured, stored, downloadable files', async () => {
    const engineer = new HttpUser(product.url, 'engineer');
    expect((await engineer.json('POST', '/api/rooms/demo/join', { displayName: 'Eve', role: 'engineer' })).status).toBe(200);
    const saved = await engineer.json<{ version: { id: string } }>('POST', '/api/rooms/demo/versions', { name: 'Demo', note: '' });
    expect(saved.status).toBe(201);
    await product.review.bakesIdle();
    const got = await engineer.json<{ version: { bake: BakeRecord } }>('GET', `/api/rooms/demo/versions/${saved.body.version.id}`);
    const bake = got.body.version.bake;
    expect({ status: bake.status, error: bake.error }).toEqual({ status: 'done', error: null });
    expect(bake.durationSec).toBeCloseTo(64, 3);
    expect(Object.keys(bake.formats).sort()).toEqual([...RENDER_FORMATS].sort());
    for (const format of RENDER_FORMATS) expect(bake.formats[format]!.integratedLufs, format).not.toBeNull();
    // The demo's starting mix has the master limiter on at -1 dBTP: no format clips or passes it.
    expect(bake.ceilingDb).toBe(-1);
    for (const format of RENDER_FORMATS) {
      const m = bake.formats[format]!;
      console.log(`demo version ${format}: ${m.integratedLufs?.toFixed(1)} LUFS, true peak ${m.truePeakDb?.toFixed(3)} dBTP, ${m.clippedSamples} clipped samples`);
      expect({ format, clipped: m.clippedSamples }).toEqual({ format, clipped: 0 });
      expect(m.truePeakDb!, format).toBeLessThanOrEqual(-1 + 0.05);
    }
    expect(deliverableWarnings({ ceilingDb: bake.ceilingDb, formats: bake.formats })).toEqual([]);
    const link = await engineer.json<{ download: { url: string } }>('GET', `/api/rooms/demo/versions/${saved.body.version.id}/download/wav24`);
    const bytes = new Uint8Array(await (await fetch(new URL(link.body.download.url, product.url))).arrayBuffer());
    expect(sha256(bytes)).toBe(bake.renders.wav24!.hash);
    expect(bytes.length).toBe(44 + 64 * DEMO_SAMPLE_RATE * 2 * 3);
  });
});
