import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { readMixState } from '@mixroom/shared/model';
import { decodeWaveformPeaks } from '@mixroom/shared/protocol';
import { stemPlaybackKey } from '../../server/src/stems/stemKeys.ts';
import { connectClient, waitFor, whenSynced, type TestClient } from './syncHarness.ts';
import { api, putPart, uploadStem } from './stems-fixtures/stemApi.ts';
import { encodeWavFixture } from './stems-fixtures/encodeWavFixture.ts';
import { startStemsTestServer, type StemsTestServer } from './stems-fixtures/startStemsTestServer.ts';

const { WaveFile } = createRequire(import.meta.url)('wavefile') as typeof import('wavefile');

let t: StemsTestServer;
const clients: TestClient[] = [];

beforeAll(async () => {
  t = await startStemsTestServer({ maxStemBytes: 40 * 1024 * 1024, maxStemSeconds: 120 });
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await t?.close();
});

const FS = 48000;
function sine(seconds: number, dbfs: number, freq: number, phase = 0): Float32Array {
  const a = 10 ** (dbfs / 20);
  const x = new Float32Array(Math.round(seconds * FS));
  for (let i = 0; i < x.length; i++) x[i] = a * Math.sin((2 * Math.PI * freq * i) / FS + phase);
  return x;
}

describe('stems: >20 MB multipart upload through the real S3 API', () => {
  it('uploads parts in parallel, validates, analyses, stores beside the stem and adds the track for everyone', async () => {
    const room = 'big-upload';
    const listener = connectClient(t.server.url, room, { role: 'listener' });
    clients.push(listener);
    await whenSynced(listener);

    // EBU Tech 3341 case 1 as a stem: 1 kHz at -23 dBFS in both channels, 24-bit, 80 s.
    const tone = sine(80, -23, 1000);
    const bytes = encodeWavFixture([tone, tone], FS, '24');
    expect(bytes.length).toBeGreaterThan(20 * 1024 * 1024);

    const r = await uploadStem(t.server.url, room, 'Kick In.wav', bytes);
    expect(r.status).toBe(201);
    expect(r.ticket.partCount).toBeGreaterThanOrEqual(5);
    expect(r.maxConcurrentParts).toBeGreaterThanOrEqual(2);

    const { stem, analysis, trackId } = r.body;
    expect(stem).toMatchObject({ fileName: 'Kick In.wav', sampleRate: 48000, channels: 2, frames: 80 * FS });
    expect(stem.key).toMatch(/^rooms\/big-upload\/stems\/[0-9a-f]{64}\/source\.wav$/);
    expect(stem.key).not.toContain('Kick');
    expect(analysis).toMatchObject({ format: 'wav', encoding: 'PCM 24-bit', bitDepth: 24, durationSeconds: 80 });
    // Loudness of the known signal: -23.0 +/- 0.1 LUFS, no range, true peak -23 dBTP.
    expect(Math.abs(analysis.loudness.integratedLufs + 23)).toBeLessThanOrEqual(0.1);
    expect(analysis.loudness.loudnessRangeLu).toBeLessThan(0.1);
    expect(Math.abs(analysis.loudness.truePeakDbtp + 23)).toBeLessThan(0.1);

    // The track reached a connected client at once, named after the file.
    await waitFor('track visible to the listener', () => readMixState(listener.doc).tracks.some((tr) => tr.id === trackId));
    const track = readMixState(listener.doc).tracks.find((tr) => tr.id === trackId)!;
    expect(track.name).toBe('Kick In');
    expect(track.stem).toEqual(stem);

    // Nothing left of the upload, and the analysis objects sit beside the stem.
    expect(await t.storage.store.listKeys(`uploads/${room}/`)).toEqual([]);
    const keys = await t.storage.store.listKeys(`rooms/${room}/`);
    const hash = analysis.contentHash;
    expect(keys.sort()).toEqual([`rooms/${room}/stems/${hash}/analysis.json`, `rooms/${room}/stems/${hash}/peaks.bin`, stem.key].sort());
    expect(stemPlaybackKey(stem.key)).toBe(stem.key);

    // A short-lived same-origin link (the app serves the embedded store) with a working Range request.
    const url = await api(t.server.url, `/api/rooms/${room}/stems/${hash}/url?variant=source`, { role: 'listener' });
    expect(url.status).toBe(200);
    expect(url.body.url).toMatch(/^\/api\/objects\//);
    expect(Date.parse(url.body.expiresAt) - Date.now()).toBeGreaterThan(590_000);
    expect(Date.parse(url.body.expiresAt) - Date.now()).toBeLessThanOrEqual(600_000);
    const ranged = await fetch(new URL(url.body.url, t.server.url), { headers: { Range: 'bytes=1000000-1000099' } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toBe(`bytes 1000000-1000099/${bytes.length}`);
    expect(new Uint8Array(await ranged.arrayBuffer())).toEqual(bytes.subarray(1000000, 1000100));

    // Peaks: every level present, level 0 bins = ceil(frames / 256), peak = -23 dBFS.
    const peaksUrl = await api(t.server.url, `/api/rooms/${room}/stems/${hash}/url?variant=peaks`, { role: 'listener' });
    const peaks = decodeWaveformPeaks(new Uint8Array(await (await fetch(new URL(peaksUrl.body.url, t.server.url))).arrayBuffer()));
    expect(peaks.levels.map((l) => l.samplesPerBin)).toEqual([256, 1024, 4096, 16384, 65536]);
    expect(peaks.levels[0]!.bins).toBe(Math.ceil((80 * FS) / 256));
    const expected = Math.round(10 ** (-23 / 20) * 32767);
    for (const level of peaks.levels) {
      for (let b = 0; b < level.bins - 1; b++) {
        expect(Math.abs(level.data[b * 4 + 1]! - expected)).toBeLessThanOrEqual(2); // ch0 max
        expect(Math.abs(level.data[b * 4]! + expected)).toBeLessThanOrEqual(2); // ch0 min
      }
    }
  });

  it('resumes: parts already sent are kept, fresh URLs for the rest, then completes', async () => {
    const room = 'resume';
    const tone = sine(40, -18, 440);
    const bytes = encodeWavFixture([tone], FS, '24'); // 5.76 MB: two parts of 5 MiB
    const init = await api(t.server.url, `/api/rooms/${room}/stems/uploads`, { method: 'POST', body: { fileName: 'bass.wav', size: bytes.length } });
    expect(init.status).toBe(201);
    const { uploadId, partSize, partCount } = init.body;
    expect(partCount).toBe(2);
    const etag1 = await putPart(t.server.url, init.body.parts[0].url, bytes.subarray(0, partSize));
    // "Page reload": the client only kept uploadId and part 1's ETag; it asks for part 2 again.
    const again = await api(t.server.url, `/api/rooms/${room}/stems/uploads/${uploadId}/parts`, { method: 'POST', body: { partNumbers: [2] } });
    expect(again.status).toBe(200);
    const etag2 = await putPart(t.server.url, again.body.parts[0].url, bytes.subarray(partSize));
    const done = await api(t.server.url, `/api/rooms/${room}/stems/uploads/${uploadId}/complete`, {
      method: 'POST',
      body: { parts: [{ partNumber: 2, etag: etag2 }, { partNumber: 1, etag: etag1 }] },
    });
    expect(done.status).toBe(201);
    expect(done.body.stem.frames).toBe(40 * FS);
    // The finished upload id is gone.
    const stale = await api(t.server.url, `/api/rooms/${room}/stems/uploads/${uploadId}/parts`, { method: 'POST', body: { partNumbers: [1] } });
    expect(stale.status).toBe(404);
  });

  it('a reviewer or listener cannot upload; a listener can read', async () => {
    for (const role of ['reviewer', 'listener']) {
      const r = await api(t.server.url, `/api/rooms/roles/stems/uploads`, { method: 'POST', body: { fileName: 'x.wav', size: 100 }, role });
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('forbidden');
      expect(r.body.error.message).toContain(role);
    }
    expect(await t.storage.store.listKeys('rooms/roles/')).toEqual([]);
    expect(await t.storage.store.listKeys('uploads/roles/')).toEqual([]);
  });
});

describe('stems: the playback copy is the server decode', () => {
  it('is absent for WAV and plays exactly the uploaded samples', async () => {
    const x = sine(1, -6, 997);
    const r = await uploadStem(t.server.url, 'wavcopy', 'a.wav', encodeWavFixture([x], FS, '32f'));
    expect(r.status).toBe(201);
    const url = await api(t.server.url, `/api/rooms/wavcopy/stems/${r.body.analysis.contentHash}/url?variant=playback`);
    const wav = new WaveFile(new Uint8Array(await (await fetch(new URL(url.body.url, t.server.url))).arrayBuffer()));
    const samples = wav.getSamples(false, Float64Array) as unknown as Float64Array;
    let maxErr = 0;
    for (let i = 0; i < x.length; i++) maxErr = Math.max(maxErr, Math.abs(samples[i]! - x[i]!));
    expect(maxErr).toBe(0);
  });
});
