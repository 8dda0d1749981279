import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import wavefile from 'wavefile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TruePeakMeter } from '@mixroom/shared/dsp';
import { readMixState, type MixState } from '@mixroom/shared/model';
import { setMasterParam } from '@mixroom/shared/ops';
import { buildMixPlan } from '@mixroom/shared/plan';
import { isValidRoomId } from '@mixroom/shared/protocol';
import { DEMO_LIMITER, DEMO_MIX } from '../../server/src/demo/applyDemoMix.ts';
import { DEMO_ROOM_ID, seedDemoRoom } from '../../server/src/demo/seedDemoRoom.ts';
import { createS3StemSource } from '../../server/src/render/input/createS3StemSource.ts';
import { renderBake } from '../../server/src/render/renderBake.ts';
import { createRoomTrackSink } from '../../server/src/stems/createRoomTrackSink.ts';
import { stemPlaybackKey } from '../../server/src/stems/stemKeys.ts';
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
  // Eight 64 s stems generated, uploaded, decoded and analysed: ~30 s on a quiet 2-core
  // machine, past the default 120 s when the suite's other workers load it.
  it('is generated, uploaded through the S3 path on first start, and not again on restart', { timeout: 400_000 }, async () => {
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
    const { writeMix } = createRoomTrackSink(rooms);

    const first = await seedDemoRoom({ service, trackNames, writeMix });
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

    // The starting mix: every demo track at its level and pan, the master limiter on.
    for (const tr of mix.tracks) expect([tr.name, tr.gain, tr.pan]).toEqual([tr.name, DEMO_MIX[tr.name as keyof typeof DEMO_MIX].gain, DEMO_MIX[tr.name as keyof typeof DEMO_MIX].pan]);
    expect(mix.tracks.find((tr) => tr.name === 'Lead Vocal')!.sends).toHaveLength(1);
    expect(mix.master.limiter).toEqual({ on: true, ...DEMO_LIMITER });

    // A restart finds everything in place and leaves the mix as its users left it.
    await rooms.withRoom(DEMO_ROOM_ID as never, (doc, origin) => setMasterParam(doc, { param: 'gain', value: -3 }, origin));
    const second = await seedDemoRoom({ service, trackNames, writeMix });
    expect(second.uploaded).toEqual([]);
    expect(second.present).toHaveLength(8);
    expect(readMixState(c.doc).tracks).toHaveLength(8);
    await waitFor('the user edit kept', () => readMixState(c.doc).master.gain === -3);
    expect(await t.storage.store.listKeys(`uploads/${DEMO_ROOM_ID}/`)).toEqual([]);
    c.destroy();
  });

  it('a bake of the starting mix does not clip: true peak at the -1 dBTP ceiling by our meter and ffmpeg, no sample at full scale', async () => {
    const rooms = t.server.services.rooms;
    const mix = await rooms.withRoom(DEMO_ROOM_ID as never, (doc) => readMixState(doc));
    expect(mix.tracks).toHaveLength(8); // seeded by the test above
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mixroom-demo-'));
    try {
      const bake = async (state: MixState, name: string) => {
        const outFile = path.join(dir, `${name}.wav`);
        const stems = createS3StemSource({ s3: t.storage.store.s3, bucket: t.storage.store.bucket, objectKey: stemPlaybackKey });
        const result = await renderBake(buildMixPlan(state), { stems, format: 'wav24', outFile });
        return { ...(await measureWav(outFile)), report: result.loudness };
      };
      const starting = await bake({ ...mix, master: { ...mix.master, gain: 0 } }, 'starting-mix');
      // The same stems at unity with the limiter off: what the demo used to be.
      const unity = await bake(
        { ...mix, tracks: mix.tracks.map((tr) => ({ ...tr, gain: 0, pan: 0, sends: [] })), master: { ...mix.master, gain: 0, limiter: { ...mix.master.limiter, on: false } } },
        'unity-no-limiter',
      );
      for (const [name, m] of [['starting mix', starting], ['unity, limiter off', unity]] as const) {
        console.log(
          `demo bake (${name}): ${m.report.integratedLufs?.toFixed(1)} LUFS; true peak: bake report ${m.report.truePeakDbtp?.toFixed(3)} dBTP, ` +
            `our meter on the WAV ${m.ours.toFixed(3)} dBTP, ffmpeg ${m.ffmpeg.toFixed(3)} dBTP; samples at full scale: ${m.clipped}; ` +
            `sox: sample peak ${m.soxPeakDb.toFixed(2)} dBFS, flat factor ${m.soxFlat.toFixed(2)}`,
        );
      }
      expect(starting.ours).toBeLessThanOrEqual(DEMO_LIMITER.ceiling + 0.05);
      expect(starting.ffmpeg).toBeLessThanOrEqual(DEMO_LIMITER.ceiling + 0.05);
      expect(starting.report.truePeakDbtp!).toBeLessThanOrEqual(DEMO_LIMITER.ceiling + 0.05);
      expect(starting.clipped).toBe(0);
      expect(starting.soxPeakDb).toBeLessThanOrEqual(DEMO_LIMITER.ceiling);
      expect(starting.soxFlat).toBe(0);
      // The measures can fail: the unlimited sum of the stems does clip.
      expect(unity.clipped).toBeGreaterThan(0);
      expect(unity.ffmpeg).toBeGreaterThan(0);
      expect(unity.soxPeakDb).toBeCloseTo(0, 2);
      expect(unity.soxFlat).toBeGreaterThan(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

const run = promisify(execFile);

/** True peak of a 24-bit WAV by our BS.1770 meter and by ffmpeg's ebur128, its samples at full scale, and sox's sample peak and flat factor. */
async function measureWav(file: string): Promise<{ ours: number; ffmpeg: number; clipped: number; soxPeakDb: number; soxFlat: number }> {
  const wav = new wavefile.WaveFile(await readFile(file));
  expect((wav.fmt as { bitsPerSample: number }).bitsPerSample).toBe(24);
  const ints = wav.getSamples(false, Float64Array) as unknown as Float64Array[];
  let clipped = 0;
  let peak = 0;
  for (const c of ints) {
    const x = Float32Array.from(c, (v) => v / 2 ** 23);
    for (const v of c) if (v >= 2 ** 23 - 1 || v <= -(2 ** 23)) clipped++;
    const m = new TruePeakMeter();
    m.process(x);
    peak = Math.max(peak, m.linearPeak);
  }
  const { stderr } = await run('ffmpeg', ['-hide_banner', '-nostats', '-i', file, '-af', 'ebur128=peak=true:metadata=1,ametadata=mode=print:key=lavfi.r128.true_peak', '-f', 'null', '-'], {
    maxBuffer: 1 << 28,
  });
  const values = [...stderr.matchAll(/lavfi\.r128\.true_peak=([\d.]+)/g)].map((m) => Number(m[1]));
  // sox: sample peak and flat factor (runs of samples at the peak: 0 unless it flat-tops).
  const sox = (await run('sox', [file, '-n', 'stats'], { maxBuffer: 1 << 20 })).stderr;
  const stat = (name: string) => Number(new RegExp(`^${name}\\s+(-?[\\d.]+)`, 'm').exec(sox)![1]);
  return { ours: 20 * Math.log10(peak), ffmpeg: 20 * Math.log10(values[values.length - 1]!), clipped, soxPeakDb: stat('Pk lev dB'), soxFlat: stat('Flat factor') };
}
