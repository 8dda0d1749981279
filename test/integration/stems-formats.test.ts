import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { readMixState } from '@mixroom/shared/model';
import { api, uploadStem } from './stems-fixtures/stemApi.ts';
import { alignAndCompare } from './stems-fixtures/alignAndCompare.ts';
import { encodeAiffFixture } from './stems-fixtures/encodeAiffFixture.ts';
import { encodeFlacFixture } from './stems-fixtures/encodeFlacFixture.ts';
import { encodeMp3Fixture, encodeOpusFixture, encodeVorbisFixture } from './stems-fixtures/encodeLossyFixture.ts';
import { encodeWavFixture } from './stems-fixtures/encodeWavFixture.ts';
import { startStemsTestServer, type StemsTestServer } from './stems-fixtures/startStemsTestServer.ts';
import { nullResidualDb, quantize, testSignal } from './stems-fixtures/testSignal.ts';
import { connectClient, waitFor, whenSynced } from './syncHarness.ts';

const { WaveFile } = createRequire(import.meta.url)('wavefile') as typeof import('wavefile');

let t: StemsTestServer;
beforeAll(async () => {
  t = await startStemsTestServer({ maxStemBytes: 40 * 1024 * 1024, maxStemSeconds: 120 });
});
afterAll(async () => {
  await t?.close();
});

const FS = 48000;
const signal = testSignal(2, FS);

/** Uploads through the real API and returns the playback copy the browsers would fetch, decoded. */
async function uploadAndFetchPlayback(room: string, fileName: string, bytes: Uint8Array) {
  const r = await uploadStem(t.server.url, room, fileName, bytes);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  const url = await api(t.server.url, `/api/rooms/${room}/stems/${r.body.analysis.contentHash}/url?variant=playback`);
  const wav = new WaveFile(new Uint8Array(await (await fetch(new URL(url.body.url, t.server.url))).arrayBuffer()));
  const raw = wav.getSamples(false, Float64Array) as unknown as Float64Array[];
  const bits = Number((wav.fmt as { bitsPerSample: number }).bitsPerSample);
  const isFloat = (wav.fmt as { audioFormat: number }).audioFormat === 3;
  const scale = isFloat ? 1 : 2 ** (bits - 1);
  return { result: r.body, channels: raw.map((ch) => Float32Array.from(ch, (v) => v / scale)) };
}

describe('every accepted format decodes to within -90 dB of a reference made in the test (lossless)', () => {
  const lossless: [string, string, () => Promise<Uint8Array> | Uint8Array, Float32Array[], string][] = [
    ['WAV 16-bit PCM', 'a.wav', () => encodeWavFixture(signal, FS, '16'), quantize(signal, 16), 'PCM 16-bit'],
    ['WAV 24-bit PCM', 'b.wav', () => encodeWavFixture(signal, FS, '24'), quantize(signal, 24), 'PCM 24-bit'],
    ['WAV 32-bit float', 'c.wav', () => encodeWavFixture(signal, FS, '32f'), signal, 'IEEE float 32-bit'],
    ['AIFF 16-bit', 'd.aif', () => encodeAiffFixture(signal, FS, 16), quantize(signal, 16), 'PCM 16-bit'],
    ['AIFF 24-bit', 'e.aiff', () => encodeAiffFixture(signal, FS, 24), quantize(signal, 24), 'PCM 24-bit'],
    ['FLAC 16-bit', 'f.flac', () => encodeFlacFixture(signal, FS, 16), quantize(signal, 16), 'FLAC 16-bit'],
    ['FLAC 24-bit', 'g.flac', () => encodeFlacFixture(signal, FS, 24), quantize(signal, 24), 'FLAC 24-bit'],
  ];
  it.each(lossless)('%s', async (_label, fileName, make, reference, encoding) => {
    const room = `fmt-${fileName.replace('.', '-')}`;
    const { result, channels } = await uploadAndFetchPlayback(room, fileName, await make());
    expect(result.analysis.encoding).toBe(encoding);
    expect(result.stem).toMatchObject({ sampleRate: FS, channels: 2, frames: 2 * FS });
    // Well inside -90 dB: lossless sources come back bit-exact (the residual is exactly zero).
    const residual = nullResidualDb(channels, reference);
    expect(residual).toBeLessThan(-90);
    expect(residual).toBe(-Infinity);
  });
});

describe('lossy formats: level, length and waveform match the source (a -90 dB null is impossible for a lossy codec)', () => {
  const lossy: [string, string, () => Promise<Uint8Array>, number, string][] = [
    // [label, file, encode, max aligned null residual in dB, format]
    ['MP3 320 kb/s (LAME)', 'h.mp3', () => encodeMp3Fixture(signal, FS), -60, 'mp3'],
    ['OGG Vorbis q8 (libvorbis)', 'i.ogg', () => encodeVorbisFixture(signal, FS), -30, 'ogg-vorbis'],
    ['OGG Opus 192 kb/s (libopus)', 'j.opus', () => encodeOpusFixture(signal), -30, 'ogg-opus'],
  ];
  it.each(lossy)('%s', async (_label, fileName, make, maxNull, format) => {
    const room = `fmt-${fileName.replace('.', '-')}`;
    const { result, channels } = await uploadAndFetchPlayback(room, fileName, await make());
    expect(result.analysis.format).toBe(format);
    expect(result.stem.sampleRate).toBe(FS);
    expect(result.stem.channels).toBe(2);
    // Encoder delay/padding differ per codec: within 0.1 s of the source length.
    expect(Math.abs(result.stem.frames - 2 * FS)).toBeLessThan(0.1 * FS);
    for (let c = 0; c < 2; c++) {
      const m = alignAndCompare(channels[c]!, signal[c]!, FS);
      expect(Math.abs(m.levelDiffDb)).toBeLessThan(0.2);
      expect(m.nullDb).toBeLessThan(maxNull);
    }
  });
});

describe('a track per file appears in the room, named after the file', () => {
  it('many files at once (a session folder) give one track each', async () => {
    const room = 'folder';
    const c = connectClient(t.server.url, room, {});
    await whenSynced(c);
    const names = ['Kick.wav', 'Snare.wav', 'Hats.flac', 'Bass.aiff'];
    const files = [
      encodeWavFixture([signal[0]!], FS, '24'),
      encodeWavFixture(signal, FS, '16'),
      await encodeFlacFixture(signal, FS, 16),
      encodeAiffFixture([signal[1]!], FS, 24),
    ];
    const results = await Promise.all(names.map((n, i) => uploadStem(t.server.url, room, n, files[i]!)));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    await waitFor('four tracks', () => readMixState(c.doc).tracks.length === 4);
    expect(readMixState(c.doc).tracks.map((tr) => tr.name).sort()).toEqual(['Bass', 'Hats', 'Kick', 'Snare']);
    c.destroy();
  });
});
