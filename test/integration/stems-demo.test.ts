import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMixState } from '@mixroom/shared/model';
import { isValidRoomId } from '@mixroom/shared/protocol';
import { DEMO_ROOM_ID, seedDemoRoom } from '../../server/src/demo/seedDemoRoom.ts';
import { createRoomTrackSink } from '../../server/src/stems/createRoomTrackSink.ts';
import { StemService } from '../../server/src/stems/StemService.ts';
import { startStemsTestServer, type StemsTestServer } from './stems-fixtures/startStemsTestServer.ts';
import { connectClient, waitFor, whenSynced } from './syncHarness.ts';

let t: StemsTestServer;
beforeAll(async () => {
  t = await startStemsTestServer({ maxStemBytes: 1024 * 1024 * 1024, maxStemSeconds: 1200 });
});
afterAll(async () => {
  await t?.close();
});

describe('demo room', () => {
  it('is generated, uploaded through the S3 path on first start, and not again on restart', async () => {
    const rooms = t.server.services.rooms;
    const service = new StemService({
      store: t.storage.store,
      links: t.browser.links,
      tracks: createRoomTrackSink(rooms),
      maxStemBytes: 1024 ** 3,
      maxStemSeconds: 1200,
    });
    const trackNames = (room: string) =>
      rooms.withRoom(isValidRoomId(room) ? room : (DEMO_ROOM_ID as never), (doc) => readMixState(doc).tracks.map((tr) => tr.name));

    const first = await seedDemoRoom({ service, trackNames });
    expect(first.uploaded).toEqual(['Kick.wav', 'Snare.wav', 'Hats.wav', 'Bass.wav', 'Keys.wav', 'Guitar.wav', 'Lead Vocal.wav', 'Pad.wav']);

    const c = connectClient(t.server.url, DEMO_ROOM_ID, { role: 'listener' });
    await whenSynced(c);
    await waitFor('eight demo tracks', () => readMixState(c.doc).tracks.length === 8);
    const mix = readMixState(c.doc);
    for (const tr of mix.tracks) {
      expect(tr.stem!.sampleRate).toBe(48000);
      expect(tr.stem!.frames).toBe(64 * 48000);
    }
    // Each stem was analysed: audible, not clipping.
    for (const tr of mix.tracks) {
      const hash = /stems\/([0-9a-f]{64})\//.exec(tr.stem!.key)![1]!;
      const a = await service.analysis(DEMO_ROOM_ID, hash);
      expect(a.loudness.integratedLufs).toBeGreaterThan(-35);
      expect(a.loudness.integratedLufs).toBeLessThan(-10);
      expect(a.loudness.truePeakDbtp).toBeLessThan(-1);
    }

    const second = await seedDemoRoom({ service, trackNames });
    expect(second.uploaded).toEqual([]);
    expect(second.present).toHaveLength(8);
    expect(readMixState(c.doc).tracks).toHaveLength(8);
    expect(await t.storage.store.listKeys(`uploads/${DEMO_ROOM_ID}/`)).toEqual([]);
    c.destroy();
  });
});
