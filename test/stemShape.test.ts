import { describe, expect, it } from 'vitest';
import { stemShapeProblem, type StemShape } from '@mixroom/shared/protocol';
import { readStemShape, STEM_HEAD_BYTES } from '../client/src/media/readStemShape.ts';
import { decodeAudio } from '../server/src/stems/decodeAudio.ts';
import { processStem } from '../server/src/stems/processStem.ts';
import { encodeAiffFixture } from './integration/stems-fixtures/encodeAiffFixture.ts';
import { encodeFlacFixture } from './integration/stems-fixtures/encodeFlacFixture.ts';
import { encodeMp3Fixture, encodeOpusFixture, encodeVorbisFixture } from './integration/stems-fixtures/encodeLossyFixture.ts';
import { encodeWavFixture } from './integration/stems-fixtures/encodeWavFixture.ts';
import { testSignal } from './integration/stems-fixtures/testSignal.ts';

/**
 * The browser reads a stem's header before uploading it and refuses a wrong sample rate at
 * once (issue 17, bug 13). It must read what the server's decoders read from the same bytes,
 * and refuse with the same words.
 */
async function serverShape(bytes: Uint8Array): Promise<StemShape> {
  let shape: StemShape | null = null;
  await decodeAudio(bytes, { maxSeconds: 60, accept: (s) => void (shape = { sampleRate: s.sampleRate, channels: s.channels }) });
  return shape!;
}

/** A RIFF chunk of `size` bytes placed before `fmt ` (BWF/iXML metadata sits there in real exports). */
function withLeadingChunk(wav: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(wav.length + 8 + size);
  out.set(wav.subarray(0, 12));
  const v = new DataView(out.buffer);
  out.set([...'JUNK'].map((c) => c.charCodeAt(0)), 12);
  v.setUint32(16, size, true);
  out.set(wav.subarray(12), 20 + size);
  v.setUint32(4, out.length - 8, true);
  return out;
}

describe('readStemShape (browser) against the server decoders', () => {
  const cases: Array<[string, () => Promise<Uint8Array> | Uint8Array]> = [
    ['WAV 16-bit 48 kHz mono', () => encodeWavFixture(testSignal(0.2, 48_000, 1), 48_000, '16')],
    ['WAV 24-bit 44.1 kHz stereo', () => encodeWavFixture(testSignal(0.2, 44_100, 2), 44_100, '24')],
    ['WAV 32-bit float 96 kHz stereo', () => encodeWavFixture(testSignal(0.2, 96_000, 2), 96_000, '32f')],
    ['WAV 6 channels', () => encodeWavFixture(testSignal(0.1, 48_000, 6), 48_000, '16')],
    ['WAV with 100 kB of metadata before fmt', () => withLeadingChunk(encodeWavFixture(testSignal(0.1, 44_100, 2), 44_100, '16'), 100_000)],
    ['AIFF 24-bit 88.2 kHz', () => encodeAiffFixture(testSignal(0.2, 88_200, 2), 88_200, 24)],
    ['AIFF 16-bit 48 kHz mono', () => encodeAiffFixture(testSignal(0.2, 48_000, 1), 48_000, 16)],
    ['FLAC 24-bit 44.1 kHz', () => encodeFlacFixture(testSignal(0.2, 44_100, 2), 44_100, 24)],
    ['FLAC 16-bit 48 kHz mono', () => encodeFlacFixture(testSignal(0.2, 48_000, 1), 48_000, 16)],
    ['MP3 44.1 kHz stereo', () => encodeMp3Fixture(testSignal(0.3, 44_100, 2), 44_100)],
    ['MP3 48 kHz mono', () => encodeMp3Fixture(testSignal(0.3, 48_000, 1), 48_000)],
    ['Ogg Vorbis 44.1 kHz', () => encodeVorbisFixture(testSignal(0.3, 44_100, 2), 44_100)],
    ['Ogg Opus', () => encodeOpusFixture(testSignal(0.3, 48_000, 2))],
  ];
  for (const [label, make] of cases) {
    it(`reads what the server reads: ${label}`, async () => {
      const bytes = await make();
      const head = bytes.subarray(0, STEM_HEAD_BYTES);
      expect(readStemShape(head)).toEqual(await serverShape(bytes));
    });
  }

  it('says nothing (leaves it to the server) for bytes it cannot read', () => {
    expect(readStemShape(new TextEncoder().encode('not audio at all'))).toBeNull();
    expect(readStemShape(new Uint8Array(0))).toBeNull();
    expect(readStemShape(new Uint8Array([0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x41, 0x56, 0x45]))).toBeNull();
  });

  it("refuses with the server's own words", async () => {
    const bytes = encodeWavFixture(testSignal(0.2, 44_100, 2), 44_100, '16');
    const local = stemShapeProblem('Pad.wav', readStemShape(bytes)!, 48_000);
    const server = await processStem(bytes, { fileName: 'Pad.wav', maxSeconds: 60, sessionRate: 48_000 }).then(
      () => null,
      (e: Error & { code?: string }) => ({ code: e.code, message: e.message }),
    );
    expect(local).toEqual(server);
    expect(local?.code).toBe('sample-rate-mismatch');
  });
});
