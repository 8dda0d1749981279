import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeAiffFixture } from '../../../test/integration/stems-fixtures/encodeAiffFixture.ts';
import { encodeFlacFixture } from '../../../test/integration/stems-fixtures/encodeFlacFixture.ts';
import { encodeMp3Fixture, encodeOpusFixture, encodeVorbisFixture } from '../../../test/integration/stems-fixtures/encodeLossyFixture.ts';
import { encodeWavFixture } from '../../../test/integration/stems-fixtures/encodeWavFixture.ts';
import { testSignal } from '../../../test/integration/stems-fixtures/testSignal.ts';
import { flacBomb, mp3GarbageFrames, oggOpusWithoutEnd, withFlacTotalSamples, withOggEndGranule } from '../../../test/security/craftDecoderBombs.ts';
import type { StreamShape } from './DecodeLimits.ts';
import { decodeAudio } from './decodeAudio.ts';

const FS = 48000;
const sig = testSignal(2, FS);
const dir = mkdtempSync(join(tmpdir(), 'mixroom-decode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('decoding under a budget (MAX_STEM_SECONDS x rate)', () => {
  it('stops the FLAC bomb (no declared length, 65535-sample frames of 16 bytes) at the budget', async () => {
    await expect(decodeAudio(flacBomb(64 * 1024), { maxSeconds: 10 })).rejects.toThrow(/FLAC file does not declare its length and decodes past the limit of 10 s/);
    // The same frames with an honest declared length decode within it (and to what they hold).
    const frames = (await decodeAudio(flacBomb(1024), { maxSeconds: 1000 })).frames;
    expect(frames % 65535).toBe(0);
    const audio = await decodeAudio(withFlacTotalSamples(flacBomb(1024), frames), { maxSeconds: 1000 });
    expect(audio.frames).toBe(frames);
    expect(audio.channelData[0]![12345]).toBe(0x40 / 128);
    await expect(decodeAudio(withFlacTotalSamples(flacBomb(1024), frames - 65535), { maxSeconds: 1000 })).rejects.toThrow(/holds more audio than its header declares/);
  });

  it('stops an Ogg Opus stream with no end at the budget', async () => {
    await expect(decodeAudio(oggOpusWithoutEnd(200), { maxSeconds: 10 })).rejects.toThrow(/OGG Opus file does not declare its length and decodes past the limit of 10 s/);
  });

  it('refuses an MP3 whose frames claim more than the budget before decoding it', async () => {
    const garbage = mp3GarbageFrames(1 << 20);
    let accepted: StreamShape | null = null;
    await expect(decodeAudio(garbage, { maxSeconds: 10, accept: (s) => void (accepted = s) })).rejects.toThrow(/The stem is 4 min 22 s long; the limit is 10 s/);
    expect(accepted).toEqual({ sampleRate: 48000, channels: 1 });
  });

  it('refuses a decoded length that differs from the declared one', async () => {
    const flac = await encodeFlacFixture(sig, FS, 16);
    await expect(decodeAudio(withFlacTotalSamples(flac, FS), { maxSeconds: 100 })).rejects.toThrow(/FLAC file holds more audio than its header declares \(48000 frames\)/);
    // Opus counts its pre-skip (OpusHead bytes 10-11) in granule positions.
    const opusPreSkip = (ogg: Uint8Array) => ogg[27 + ogg[26]! + 10]! | (ogg[27 + ogg[26]! + 11]! << 8);
    const opus = await encodeOpusFixture(sig);
    for (const [label, ogg, preSkip] of [
      ['OGG Opus', opus, opusPreSkip(opus)],
      ['OGG Vorbis', await encodeVorbisFixture(sig, FS), 0],
    ] as const) {
      const n = (await decodeAudio(ogg, { maxSeconds: 100 })).frames;
      expect(Math.abs(n - 2 * FS)).toBeLessThan(FS / 10);
      // A last granule inside the last page is ordinary end trimming; one far before it is a lie.
      await expect(decodeAudio(withOggEndGranule(ogg, n / 2 + preSkip), { maxSeconds: 100 })).rejects.toThrow(
        `${label} file holds more audio than its header declares (${n / 2} frames)`,
      );
      // Declaring more than the pages hold (the decoder then trims less, or nothing).
      await expect(decodeAudio(withOggEndGranule(ogg, n + 4800 + preSkip), { maxSeconds: 100 })).rejects.toThrow(
        new RegExp(`${label} file is damaged: it decodes to \\d+ samples but declares ${n + 4800}\\.`),
      );
    }
  });

  it("refuses an MP3 whose Xing header counts other frames than it holds (ffmpeg's LAME file)", async () => {
    const src = join(dir, 'src.wav');
    const mp3 = join(dir, 'x.mp3');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=3:sample_rate=48000', '-ac', '2', src]);
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', src, '-c:a', 'libmp3lame', '-b:a', '128k', mp3]);
    const bytes = new Uint8Array(readFileSync(mp3));
    expect((await decodeAudio(bytes, { maxSeconds: 100 })).frames).toBe(3 * FS);
    const at = Buffer.from(bytes).indexOf('Info');
    expect(at).toBeGreaterThan(0);
    const lying = bytes.slice();
    const view = new DataView(lying.buffer);
    view.setUint32(at + 8, view.getUint32(at + 8) + 1000);
    await expect(decodeAudio(lying, { maxSeconds: 100 })).rejects.toThrow(/MP3 file is damaged: its header declares \d+ frames but it holds \d+/);
  });

  it("reports every format's shape before decoding, and a refusal there stops it", async () => {
    const files = [
      ['wav', encodeWavFixture(sig, FS, '24'), 2],
      ['aiff', encodeAiffFixture(sig, FS, 24), 2],
      ['flac', await encodeFlacFixture(sig, FS, 16), 2],
      ['mp3', await encodeMp3Fixture([sig[0]!], FS), 1],
      ['ogg-vorbis', await encodeVorbisFixture(sig, FS), 2],
      ['ogg-opus', await encodeOpusFixture(sig), 2],
    ] as const;
    for (const [format, bytes, channels] of files) {
      const seen: StreamShape[] = [];
      const refuse = (shape: StreamShape): void => {
        seen.push(shape);
        throw new Error(`refused ${format}`);
      };
      await expect(decodeAudio(bytes, { maxSeconds: 100, accept: refuse })).rejects.toThrow(`refused ${format}`);
      expect(seen).toEqual([{ sampleRate: FS, channels }]);
    }
  });
});
