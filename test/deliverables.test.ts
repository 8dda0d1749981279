import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoudnessMeter } from '@mixroom/shared/dsp';
import { buildMixPlan } from '@mixroom/shared/plan';
import { BAKE_FORMATS, BAKE_FORMAT_INFO, type BakeFormat } from '../server/src/render/BakeFormat.ts';
import type { Mp3EncoderSetting } from '../server/src/render/encode/Mp3Encoder.ts';
import { nativeLameAvailable } from '../server/src/render/encode/resolveMp3Encoder.ts';
import type { NativeCodecSetting } from '../server/src/render/encode/nativeCodecChoice.ts';
import { nativeMpg123Available } from '../server/src/render/deliver/resolveMp3MeterDecoder.ts';
import { createFileStemSource } from '../server/src/render/input/createFileStemSource.ts';
import { MP3_RETRY_MARGIN_DB } from '../server/src/render/deliver/createMp3FormatWriter.ts';
import { WasmTruePeakMeter } from '../server/src/render/simd/WasmTruePeakMeter.ts';
import { renderBakeFormats, type BakeFormatsResult } from '../server/src/render/renderBakeFormats.ts';
import { writeDemoSong } from './demoSongFixture.ts';
import { ffmpegDecode, ffmpegLoudness } from './ffmpegLoudness.ts';
import { tempDir } from './renderFixtures.ts';

const exec = promisify(execFile);
/** ffmpeg's ebur128 against ours: the same gating, a different K-filter realisation. */
const LUFS_TOLERANCE = 0.1;
/**
 * Both meters oversample 4x with different interpolators: ours is BS.1770-4's 48-tap FIR,
 * which droops near Nyquist, where this song's noise hats have energy. On it ffmpeg reads up
 * to 0.33 dB higher (on the 12-stem song of issue 14 they were 0.06 dB apart).
 */
const TRUE_PEAK_TOLERANCE = 0.4;

let dir: string;
let dispose: () => Promise<void>;

/** Bakes the demo song (20 s) into every format; `files` are the paths written. */
async function bakeSong(name: string, options: { drive: number; limiter: boolean }, mp3Encoder: Mp3EncoderSetting, mp3MeterDecoder: NativeCodecSetting = 'auto'): Promise<{ result: BakeFormatsResult; files: Record<BakeFormat, string> }> {
  const stems = path.join(dir, `${name}-${mp3Encoder}`);
  await mkdir(stems);
  const song = await writeDemoSong(stems, { seconds: 20, ...options });
  const files = Object.fromEntries(BAKE_FORMATS.map((f) => [f, path.join(stems, `mix-${f}.${BAKE_FORMAT_INFO[f].extension}`)])) as Record<BakeFormat, string>;
  const result = await renderBakeFormats(buildMixPlan(song.state), { stems: createFileStemSource(stems), formats: BAKE_FORMATS, workers: 2, outFiles: files, mp3Encoder, mp3MeterDecoder });
  expect(result.mp3Encoder).toBe(mp3Encoder);
  return { result, files };
}

// The MP3 checks hold for both encoders (the native LAME where installed: .ci/run installs it).
const encoders: Mp3EncoderSetting[] = (await nativeLameAvailable()) ? ['native', 'wasm'] : ['wasm'];
if (encoders.length === 1) console.warn('deliverables.test: no native LAME on the PATH (apt-get install lame); only the wasm encoder is tested');

beforeAll(async () => {
  ({ dir, dispose } = await tempDir());
});
afterAll(() => dispose?.());

describe.each(encoders)('per-format measurements of a bake, checked against ffmpeg (%s LAME)', (encoder) => {
  it('a master limited to -1 dBTP: every file measured as decoded, matching ffmpeg; the MP3 held under the ceiling', async () => {
    const { result, files } = await bakeSong('limited', { drive: 6, limiter: true }, encoder);
    expect(result.ceilingDb).toBe(-1);
    for (const file of result.files) {
      const ours = file.measurement;
      const theirs = await ffmpegLoudness(files[file.format]);
      console.log(
        `${file.format}: ours ${ours.integratedLufs!.toFixed(2)} LUFS ${ours.truePeakDb!.toFixed(2)} dBTP, ${ours.clippedSamples} clipped, gain ${ours.gainDb.toFixed(2)} dB; ` +
          `ffmpeg ${theirs.integratedLufs.toFixed(2)} LUFS ${theirs.truePeakDb.toFixed(2)} dBTP`,
      );
      expect(Math.abs(ours.integratedLufs! - theirs.integratedLufs)).toBeLessThanOrEqual(LUFS_TOLERANCE);
      expect(Math.abs(ours.truePeakDb! - theirs.truePeakDb)).toBeLessThanOrEqual(TRUE_PEAK_TOLERANCE);
      expect(ours.clippedSamples).toBe(0);
      // And exactly our meter's reading of the file as ffmpeg decodes it: the record measures
      // the file (ffmpeg decodes PCM exactly; its MP3 decoder rounds a little differently).
      const decoded = await ffmpegDecode(files[file.format]);
      expect(decoded[0]!.length).toBe(result.frames);
      const meter = new LoudnessMeter(48000, 2, { truePeakMeter: () => new WasmTruePeakMeter() });
      meter.process(decoded);
      const s = meter.summary();
      const close = file.format === 'mp3' ? 0.01 : 1e-9;
      expect(Math.abs(s.integrated - ours.integratedLufs!)).toBeLessThanOrEqual(close);
      expect(Math.abs(s.truePeak - ours.truePeakDb!)).toBeLessThanOrEqual(close);
    }
    const by = Object.fromEntries(result.files.map((f) => [f.format, f.measurement]));
    // FLAC holds the WAV 24's very samples.
    expect(by.flac).toEqual(by.wav24);
    // The MP3: its own decoded true peak at or under the ceiling, bought with a recorded gain.
    expect(by.mp3!.truePeakDb!).toBeLessThanOrEqual(result.ceilingDb);
    expect(by.mp3!.gainDb).toBeLessThan(0);
    expect(by.mp3!.integratedLufs!).toBeCloseTo(by.wav24!.integratedLufs! + by.mp3!.gainDb, 0);
  });

  it('the MP3 meter reads the stored file as ffmpeg decodes it; its native and wasm mpg123 agree', async () => {
    const meters: NativeCodecSetting[] = (await nativeMpg123Available()) ? ['native', 'wasm'] : ['wasm'];
    const baked = [];
    for (const mp3MeterDecoder of meters) baked.push(await bakeSong(`meter-${mp3MeterDecoder}`, { drive: 0, limiter: true }, encoder, mp3MeterDecoder));
    const [first] = baked;
    const mp3 = (r: BakeFormatsResult) => r.files.find((f) => f.format === 'mp3')!;
    // An independent decoder: ffmpeg's (it applies the LAME tag's delay and padding) measured by our meter.
    const decoded = await ffmpegDecode(first!.files.mp3);
    expect(decoded[0]!.length).toBe(first!.result.frames);
    const meter = new LoudnessMeter(48000, 2, { truePeakMeter: () => new WasmTruePeakMeter() });
    meter.process(decoded);
    const summary = meter.summary();
    const ours = mp3(first!.result).measurement;
    console.log(`mp3 meter (${meters[0]} mpg123) ${ours.integratedLufs} LUFS ${ours.truePeakDb} dBTP; ffmpeg's decode, our meter: ${summary.integrated} LUFS ${summary.truePeak} dBTP`);
    // ffmpeg's Layer III decoder rounds a little differently from mpg123: within 0.01 dB.
    expect(Math.abs(ours.integratedLufs! - summary.integrated)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(ours.truePeakDb! - summary.truePeak)).toBeLessThanOrEqual(0.01);
    if (baked.length === 2) {
      // The same MP3 bytes, decoded by Debian's mpg123 and by its wasm build: their float
      // synthesis rounds differently (measured 1e-6 LU, 1e-7 dB apart), never by 1e-4 dB.
      const [native, wasm] = baked.map((b) => mp3(b.result));
      expect(native!.sha256).toBe(wasm!.sha256);
      console.log(`native vs wasm mpg123: ${native!.measurement.integratedLufs! - wasm!.measurement.integratedLufs!} LU, ${native!.measurement.truePeakDb! - wasm!.measurement.truePeakDb!} dB true peak`);
      expect(Math.abs(native!.measurement.integratedLufs! - wasm!.measurement.integratedLufs!)).toBeLessThan(1e-4);
      expect(Math.abs(native!.measurement.truePeakDb! - wasm!.measurement.truePeakDb!)).toBeLessThan(1e-4);
      expect(native!.measurement.clippedSamples).toBe(wasm!.measurement.clippedSamples);
      expect(native!.measurement.gainDb).toBe(wasm!.measurement.gainDb);
    }
  });

  it('a master clipping with the limiter off: clipped samples counted exactly per file; the MP3 lowered under 0 dBTP', async () => {
    const { result, files } = await bakeSong('hot', { drive: 14, limiter: false }, encoder);
    expect(result.ceilingDb).toBe(0);
    const by = Object.fromEntries(result.files.map((f) => [f.format, f.measurement]));
    // Independent counts: samples at the integer formats' full-scale codes, as ffmpeg decodes the files.
    const fullScale = async (file: string, codec: 's16le' | 's32le', max: number, min: number): Promise<number> => {
      const { stdout } = await exec('ffmpeg', ['-v', 'error', '-i', file, '-f', codec, '-c:a', `pcm_${codec}`, '-'], { encoding: 'buffer', maxBuffer: 1 << 30 });
      const ints = codec === 's16le' ? new Int16Array(stdout.buffer, stdout.byteOffset, stdout.length / 2) : new Int32Array(stdout.buffer.slice(stdout.byteOffset, stdout.byteOffset + stdout.length));
      let n = 0;
      for (const v of ints) if (v >= max || v <= min) n++;
      return n;
    };
    const wav16 = await fullScale(files.wav16, 's16le', 32767, -32768);
    const wav24 = await fullScale(files.wav24, 's32le', 0x7fffff00, -0x80000000); // 24-bit, left-aligned by ffmpeg
    const flac = await fullScale(files.flac, 's32le', 0x7fffff00, -0x80000000);
    console.log(`clipped: wav16 ${by.wav16!.clippedSamples} (ffmpeg ${wav16}), wav24 ${by.wav24!.clippedSamples} (ffmpeg ${wav24}), flac ${flac}; ` +
      `wav24 true peak ${by.wav24!.truePeakDb!.toFixed(2)} dBTP; mp3 gain ${by.mp3!.gainDb.toFixed(2)} dB, true peak ${by.mp3!.truePeakDb!.toFixed(2)} dBTP`);
    expect(wav16).toBeGreaterThan(1000);
    expect(by.wav16!.clippedSamples).toBe(wav16);
    expect(by.wav24!.clippedSamples).toBe(wav24);
    expect(by.flac!.clippedSamples).toBe(flac);
    expect(by.wav24!.truePeakDb!).toBeGreaterThan(0);
    // The MP3 is the clipped master at a lower gain: under full scale after decoding, not clipping.
    expect(by.mp3!.truePeakDb!).toBeLessThanOrEqual(0);
    expect(by.mp3!.gainDb).toBeLessThan(-MP3_RETRY_MARGIN_DB);
    expect(by.mp3!.gainDb).toBeGreaterThan(-9);
    expect(by.mp3!.clippedSamples).toBe(0);
    const mp3 = await ffmpegDecode(files.mp3);
    let over = 0;
    for (const c of mp3) for (const v of c) if (Math.abs(v) >= 1) over++;
    expect(over).toBe(0);
  });
});
