import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMixState } from '@mixroom/shared/model';
import { api, putPart, uploadStem } from './stems-fixtures/stemApi.ts';
import { encodeAiffFixture } from './stems-fixtures/encodeAiffFixture.ts';
import { encodeFlacFixture } from './stems-fixtures/encodeFlacFixture.ts';
import { encodeMp3Fixture, encodeOpusFixture, encodeVorbisFixture } from './stems-fixtures/encodeLossyFixture.ts';
import { encodeWavFixture } from './stems-fixtures/encodeWavFixture.ts';
import { startStemsTestServer, type StemsTestServer } from './stems-fixtures/startStemsTestServer.ts';
import { testSignal } from './stems-fixtures/testSignal.ts';
import { connectClient, whenSynced } from './syncHarness.ts';

let t: StemsTestServer;
beforeAll(async () => {
  // Small limits so "too large" and "too long" are cheap to reach.
  t = await startStemsTestServer({ maxStemBytes: 12 * 1024 * 1024, maxStemSeconds: 30 });
});
afterAll(async () => {
  await t?.close();
});

const FS = 48000;
const sig = testSignal(1, FS);
const ascii = (s: string) => new TextEncoder().encode(s);
const cut = (b: Uint8Array, fraction: number) => b.slice(0, Math.floor(b.length * fraction));
function flip(b: Uint8Array, at: number, count: number): Uint8Array {
  const c = b.slice();
  for (let i = at; i < at + count; i++) c[i] = c[i]! ^ 0x5a;
  return c;
}
function withFormatTag(wav: Uint8Array, tag: number): Uint8Array {
  const c = wav.slice();
  new DataView(c.buffer).setUint16(20, tag, true);
  return c;
}

let n = 0;
/** Uploads `bytes`, expects the rejection, then checks nothing is left: no object, no track. */
async function expectRejected(bytes: Uint8Array, fileName: string, status: number, code: string, message: RegExp, declaredSize?: number) {
  const room = `reject-${++n}`;
  const c = connectClient(t.server.url, room, {});
  await whenSynced(c);
  const r = await uploadStem(t.server.url, room, fileName, bytes, declaredSize === undefined ? {} : { declaredSize });
  expect(r.status).toBe(status);
  expect(r.body.error.code).toBe(code);
  expect(r.body.error.message).toMatch(message);
  expect(await t.storage.store.listKeys(`rooms/${room}/`)).toEqual([]);
  expect(await t.storage.store.listKeys(`uploads/${room}/`)).toEqual([]);
  expect(readMixState(c.doc).tracks).toEqual([]);
  c.destroy();
}

describe('every bad input is rejected with its message and leaves nothing behind', () => {
  it('non-audio: a text file and a PNG', async () => {
    await expectRejected(ascii('hello, this is not audio\n'.repeat(100)), 'notes.wav', 422, 'not-audio', /not audio we recognise/);
    const png = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Uint8Array(500));
    await expectRejected(png, 'cover.png', 422, 'not-audio', /"cover\.png": .*not audio/);
  });

  it('zero length is refused before anything is created', async () => {
    const r = await api(t.server.url, '/api/rooms/empty/stems/uploads', { method: 'POST', body: { fileName: 'silence.wav', size: 0 } });
    expect(r.status).toBe(422);
    expect(r.body.error).toEqual({ code: 'empty', message: '"silence.wav" is empty (0 bytes).' });
    expect(await t.storage.store.listKeys('rooms/empty/')).toEqual([]);
    expect(await t.storage.store.listKeys('uploads/empty/')).toEqual([]);
  });

  it('zero-length audio inside a valid container', async () => {
    await expectRejected(encodeWavFixture([new Float32Array(0)], FS, '16'), 'nothing.wav', 422, 'empty', /no audio \(zero length\)/);
  });

  it.each([
    ['WAV', 'cut.wav', () => encodeWavFixture(sig, FS, '24'), /WAV file is truncated/],
    ['AIFF', 'cut.aiff', () => encodeAiffFixture(sig, FS, 24), /AIFF file is truncated/],
    ['FLAC', 'cut.flac', () => encodeFlacFixture(sig, FS, 24), /FLAC file is truncated/],
    ['MP3', 'cut.mp3', () => encodeMp3Fixture(sig, FS), /MP3 file is truncated/],
    ['OGG Vorbis', 'cut.ogg', () => encodeVorbisFixture(sig, FS), /OGG Vorbis file is truncated/],
    ['OGG Opus', 'cut.opus', () => encodeOpusFixture(sig), /OGG Opus file is truncated/],
  ] as const)('truncated %s', async (_label, name, make, message) => {
    await expectRejected(cut(await make(), 0.6), name, 422, 'truncated', message);
  });

  it.each([
    ['WAV with a damaged fmt chunk', 'bad.wav', () => flip(encodeWavFixture(sig, FS, '16'), 22, 2), 'corrupt', /WAV format chunk is inconsistent/],
    ['FLAC with damaged frames', 'bad.flac', async () => { const b = await encodeFlacFixture(sig, FS, 16); return flip(b, Math.floor(b.length / 2), 64); }, 'corrupt', /FLAC file is damaged: \d+ of 48000 samples could not be decoded/],
    // MP3 payloads carry no checksum (LAME writes no CRC): damage is detectable where it hits
    // frame headers, so this wipes 2 kB, more than one 320 kb/s frame.
    ['MP3 with damaged frames', 'bad.mp3', async () => { const b = await encodeMp3Fixture(sig, FS); b.fill(0, Math.floor(b.length / 2), Math.floor(b.length / 2) + 2048); return b; }, 'corrupt', /MP3 file is damaged/],
    ['OGG Vorbis with a flipped byte', 'bad.ogg', async () => { const b = await encodeVorbisFixture(sig, FS); return flip(b, Math.floor(b.length / 2), 1); }, 'corrupt', /checksum error/],
    ['OGG Opus with a flipped byte', 'bad.opus', async () => { const b = await encodeOpusFixture(sig); return flip(b, Math.floor(b.length / 2), 1); }, 'corrupt', /checksum error/],
  ] as const)('corrupt: %s', async (_label, name, make, code, message) => {
    await expectRejected(await make(), name, 422, code, message);
  });

  it.each([
    ['WAV ADPCM (format 2)', 'adpcm.wav', () => withFormatTag(encodeWavFixture(sig, FS, '16'), 2), /WAV encoding \(format 2, 16-bit\) is not supported/],
    ['MP4/M4A', 'song.m4a', () => Uint8Array.of(0, 0, 0, 0x20, ...ascii('ftypM4A '), ...new Uint8Array(200)), /MP4\/M4A\/AAC\/ALAC files are not supported/],
    ['AAC ADTS', 'song.aac', () => Uint8Array.of(0xff, 0xf1, 0x50, 0x80, ...new Uint8Array(200)), /AAC \(ADTS\) files are not supported/],
    ['RF64', 'huge.wav', () => Uint8Array.of(...ascii('RF64'), 0xff, 0xff, 0xff, 0xff, ...ascii('WAVE'), ...new Uint8Array(100)), /RF64/],
  ] as const)('unsupported format: %s', async (_label, name, make, message) => {
    await expectRejected(make(), name, 415, 'unsupported-format', message);
  });

  it('over the size limit: refused at start when declared, and at the part when the client lied', async () => {
    const r = await api(t.server.url, '/api/rooms/big/stems/uploads', { method: 'POST', body: { fileName: 'big.wav', size: 13 * 1024 * 1024 } });
    expect(r.status).toBe(413);
    expect(r.body.error).toEqual({ code: 'too-large', message: '"big.wav" is 13.0 MB; the limit is 12.0 MB.' });
    expect(await t.storage.store.listKeys('uploads/big/')).toEqual([]);
    // Declares 11 MiB (parts of 5, 5 and 1 MiB), then sends 13 MB: the last part's link is
    // signed for exactly 1 MiB, so its 3 MB are refused before a byte is stored.
    const x = testSignal(70, FS, 2);
    const bytes = encodeWavFixture(x, FS, '16'); // 13.4 MB
    const c = connectClient(t.server.url, 'liar', {});
    await whenSynced(c);
    let ticket: { uploadId: string } | null = null;
    const lie = uploadStem(t.server.url, 'liar', 'liar.wav', bytes, { declaredSize: 11 * 1024 * 1024, onInitiated: (x) => (ticket = x) });
    await expect(lie).rejects.toThrow(/part PUT failed: 413 .*must be 1048576 bytes/);
    expect(await t.storage.store.listKeys('rooms/liar/')).toEqual([]);
    expect((await api(t.server.url, `/api/rooms/liar/stems/uploads/${ticket!.uploadId}`, { method: 'DELETE' })).status).toBe(204);
    expect(await t.storage.store.listKeys('uploads/liar/')).toEqual([]);
    expect(readMixState(c.doc).tracks).toEqual([]);
    c.destroy();
  });

  it('over the length limit (30 s here)', async () => {
    const long = new Float32Array(31 * FS).fill(0.1);
    await expectRejected(encodeWavFixture([long], FS, '16'), 'long.wav', 413, 'too-long', /is 31 s long; the limit is 30 s/);
  });

  it('a different sample rate than the session is rejected, not resampled', async () => {
    const x = testSignal(1, 44100);
    await expectRejected(encodeWavFixture(x, 44100, '24'), 'cd.wav', 422, 'sample-rate-mismatch', /44100 Hz but this session runs at 48000 Hz/);
  });

  it('more than two channels is rejected (the bake and the browser must hear the same stereo strip)', async () => {
    const quad = [...testSignal(1, FS, 2), ...testSignal(1, FS, 2)];
    await expectRejected(encodeWavFixture(quad, FS, '16'), 'quad.wav', 415, 'unsupported-format', /"quad\.wav" has 4 channels; Mixroom mixes mono and stereo stems/);
  });

  it('a cancelled upload leaves nothing', async () => {
    const init = await api(t.server.url, '/api/rooms/cancel/stems/uploads', { method: 'POST', body: { fileName: 'x.wav', size: 1000 } });
    expect(init.status).toBe(201);
    expect(await t.storage.store.listKeys('uploads/cancel/')).toHaveLength(1); // the manifest
    const del = await api(t.server.url, `/api/rooms/cancel/stems/uploads/${init.body.uploadId}`, { method: 'DELETE' });
    expect(del.status).toBe(204);
    expect(await t.storage.store.listKeys('uploads/cancel/')).toEqual([]);
  });

  it('an abandoned upload (never completed) is swept once it is old enough', async () => {
    const init = await api(t.server.url, '/api/rooms/abandon/stems/uploads', { method: 'POST', body: { fileName: 'x.wav', size: 6 * 1024 * 1024 } });
    expect(init.status).toBe(201);
    await putPart(t.server.url, init.body.parts[0].url, new Uint8Array(5 * 1024 * 1024));
    expect(await t.service().sweepStaleUploads(60 * 60 * 1000)).toBe(0); // still fresh: kept
    expect(await t.storage.store.listKeys('uploads/abandon/')).toHaveLength(1);
    expect(await t.service().sweepStaleUploads(0)).toBe(1);
    expect(await t.storage.store.listKeys('uploads/abandon/')).toEqual([]);
    const late = await api(t.server.url, `/api/rooms/abandon/stems/uploads/${init.body.uploadId}/parts`, { method: 'POST', body: { partNumbers: [2] } });
    expect(late.status).toBe(404);
    expect(late.body.error.message).toMatch(/Start it again/);
  });

  it('malformed requests get a clear 400/404, never a crash', async () => {
    const bad = await api(t.server.url, '/api/rooms/x/stems/uploads', { method: 'POST', body: { fileName: 12, size: 'big' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('bad-request');
    const unknown = await api(t.server.url, '/api/rooms/x/stems/uploads/00000000-0000-0000-0000-000000000000/complete', {
      method: 'POST',
      body: { parts: [{ partNumber: 1, etag: '"x"' }] },
    });
    expect(unknown.status).toBe(404);
    const traversal = await api(t.server.url, '/api/rooms/x/stems/..%2F..%2Fetc/url');
    expect(traversal.status).toBe(404);
  });
});
