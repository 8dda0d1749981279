import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { MPEGDecoder } from 'mpg123-decoder';
import wavefile from 'wavefile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMixPlan, type MixPlan } from '@mixroom/shared/plan';
import { testMix } from '../shared/src/plan/testing/testMix.ts';
import { bakeMix } from '../server/src/render/bakeMix.ts';
import type { BakeFormat } from '../server/src/render/BakeFormat.ts';
import { createFileStemSource } from '../server/src/render/input/createFileStemSource.ts';
import { renderBake, type BakeResult } from '../server/src/render/renderBake.ts';
import { collect, noise, sine, tempDir, writeStem } from './renderFixtures.ts';
import { defaultEq } from '@mixroom/shared/model';

const RATE = 48000;
const FRAMES = RATE * 3 + 77;

let dir: string;
let dispose: () => Promise<void>;
let plan: MixPlan;
let master: Float32Array[];

beforeAll(async () => {
  ({ dir, dispose } = await tempDir());
  const fade = (x: Float32Array) => x.map((v, i) => v * (1 - i / FRAMES)); // quiet tail shows the dither
  await writeStem(dir, 'pad.wav', [fade(noise(FRAMES, 0.3, 11)), fade(noise(FRAMES, 0.3, 12))]);
  await writeStem(dir, 'lead.wav', [sine(FRAMES, 440, 0.3)]);
  const stem = (key: string, ch: number) => ({ ...testMix.stem(key, ch, FRAMES), fileName: key });
  plan = buildMixPlan(
    testMix.state([
      // Band-limited like music (MP3 320 low-passes near 20 kHz; white noise up to 24 kHz would
      // measure the encoder's lowpass, not its fidelity).
      testMix.track('pad', {
        stem: stem('pad.wav', 2),
        gain: -3,
        eq: { ...testMix.track('x').eq, lpf: { ...defaultEq().lpf, on: true, freq: 12000, q: Math.SQRT1_2 } },
      }),
      testMix.track('lead', { stem: stem('lead.wav', 1), pan: -0.3 }),
    ]),
  );
  master = await collect(await bakeMix(plan, { stems: createFileStemSource(dir), workers: 2 }));
});
afterAll(() => dispose());

const render = async (format: BakeFormat): Promise<{ result: BakeResult; bytes: Uint8Array }> => {
  const outFile = path.join(dir, `mix.${format}`);
  const result = await renderBake(plan, { stems: createFileStemSource(dir), format, outFile, workers: 2 });
  const bytes = new Uint8Array(await readFile(outFile));
  expect(result.bytes).toBe(bytes.length);
  expect(result.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  return { result, bytes };
};

/** Planar integer samples of a PCM WAV, read by an independent decoder (wavefile). */
const wavInts = (bytes: Uint8Array): { bits: number; channels: Float64Array[] } => {
  const wav = new wavefile.WaveFile(bytes);
  const fmt = wav.fmt as { bitsPerSample: number; numChannels: number; sampleRate: number };
  expect(fmt.sampleRate).toBe(RATE);
  expect(fmt.numChannels).toBe(2);
  return { bits: fmt.bitsPerSample, channels: wav.getSamples(false, Float64Array) as unknown as Float64Array[] };
};

describe('bake output formats', () => {
  for (const bits of [16, 24] as const) {
    it(`WAV ${bits}-bit decodes back to the master within TPDF dither noise`, async () => {
      const { bytes } = await render(`wav${bits}`);
      const pcm = wavInts(bytes);
      expect(pcm.bits).toBe(bits);
      const lsb = 2 ** (bits - 1);
      let maxErr = 0;
      let sumSq = 0;
      let n = 0;
      for (let c = 0; c < 2; c++) {
        expect(pcm.channels[c]!.length).toBe(FRAMES);
        for (let i = 0; i < FRAMES; i++) {
          const err = pcm.channels[c]![i]! - master[c]![i]! * lsb; // in LSB
          maxErr = Math.max(maxErr, Math.abs(err));
          sumSq += err * err;
          n++;
        }
      }
      const rmsLsb = Math.sqrt(sumSq / n);
      console.log(`wav${bits}: max error ${maxErr.toFixed(3)} LSB, rms ${rmsLsb.toFixed(3)} LSB`);
      // TPDF +-1 LSB plus rounding: |e| < 1.5 LSB, rms = sqrt(1/12 + 1/6) = 0.5 LSB
      // (plain rounding without dither would give 0.29 LSB).
      expect(maxErr).toBeLessThan(1.5);
      expect(rmsLsb).toBeGreaterThan(0.45);
      expect(rmsLsb).toBeLessThan(0.55);
    });
  }

  it('FLAC decodes back bit-exact to the 24-bit PCM it was given, with a valid MD5', async () => {
    const flac = await render('flac');
    const wav = await render('wav24');
    const pcm = wavInts(wav.bytes);
    const decoder = new FLACDecoder();
    await decoder.ready;
    const decoded = await decoder.decodeFile(flac.bytes);
    decoder.free();
    expect(decoded.errors).toEqual([]);
    expect(decoded.bitDepth).toBe(24);
    expect(decoded.samplesDecoded).toBe(FRAMES);
    // This decoder scales 24-bit integers by 1 / (2^23 - 1) into float32 (measured); the
    // float32 rounding is under 0.25 LSB there, so rounding recovers the integers exactly.
    let mismatches = 0;
    for (let c = 0; c < 2; c++) {
      for (let i = 0; i < FRAMES; i++) if (Math.round(decoded.channelData[c]![i]! * 8388607) !== pcm.channels[c]![i]) mismatches++;
    }
    expect(mismatches).toBe(0);
    // STREAMINFO's MD5 (patched in after encoding) is the MD5 of the interleaved little-endian
    // 24-bit samples: exactly the WAV's data chunk.
    const md5 = createHash('md5').update(wav.bytes.subarray(44)).digest('hex');
    expect(Buffer.from(flac.bytes.subarray(26, 42)).toString('hex')).toBe(md5);
    expect(flac.bytes.length).toBeLessThan(wav.bytes.length);
  });

  it('MP3 320 decodes (mpg123, gapless) to exactly the master\'s frames, correlated > 0.99 at lag 0', async () => {
    const { bytes, result } = await render('mp3');
    // 320 kbit/s CBR plus the 960-byte LAME tag frame: the size follows from the duration.
    const kbps = (bytes.length * 8) / result.durationSeconds / 1000;
    expect(kbps).toBeGreaterThan(310);
    expect(kbps).toBeLessThan(335);
    const decoder = new MPEGDecoder();
    await decoder.ready;
    const decoded = decoder.decode(bytes);
    decoder.free();
    expect(decoded.sampleRate).toBe(RATE);
    // The LAME tag's delay and padding: the decoder drops both.
    expect(decoded.samplesDecoded).toBe(FRAMES);
    let best = { lag: 0, corr: -1 };
    for (let lag = -2000; lag < 2000; lag++) {
      const corr = correlation(master[0]!, decoded.channelData[0]!, lag, RATE / 4, 2000);
      if (corr > best.corr) best = { lag, corr };
    }
    expect(best.lag).toBe(0);
    const full = Math.min(correlation(master[0]!, decoded.channelData[0]!, 0, FRAMES), correlation(master[1]!, decoded.channelData[1]!, 0, FRAMES));
    console.log(`mp3: ${kbps.toFixed(1)} kbit/s, ${decoded.samplesDecoded} frames, peak correlation at lag ${best.lag}, whole-file correlation ${full.toFixed(5)}`);
    expect(full).toBeGreaterThan(0.99);
  });

  it('reports integrated loudness, true peak and loudness range of the master', async () => {
    // 10 s of a 1 kHz sine peaking at -20 dBFS, then 10 s at -30 dBFS, on both channels.
    // BS.1770: a stereo 1 kHz sine of peak A dBFS reads A LUFS (K-weighting is +0.69 dB at
    // 1 kHz, cancelling the -0.691 offset). The quiet half passes the relative gate, so the
    // integrated value is the energy mean: -20 + 10 log10((1 + 0.1) / 2) = -22.6 LUFS.
    const n = RATE * 10;
    const a = sine(n * 2, 1000, 10 ** (-20 / 20)).map((v, i) => (i < n ? v : v / Math.SQRT2 / Math.sqrt(5)));
    await writeStem(dir, 'steps.wav', [a, a]);
    const stepsPlan = buildMixPlan(testMix.state([testMix.track('s', { stem: { ...testMix.stem('steps.wav', 2, n * 2), fileName: 'steps.wav' } })]));
    const result = await renderBake(stepsPlan, { stems: createFileStemSource(dir), format: 'wav24', workers: 1 });
    console.log('loudness', result.loudness);
    expect(result.loudness.integratedLufs!).toBeCloseTo(-22.6, 1);
    // Sine peak -20 dBFS -> true peak -20 dBTP (within the meter's interpolation error).
    expect(result.loudness.truePeakDbtp!).toBeCloseTo(-20, 0);
    // Two plateaus 10 LU apart: LRA close to 10 LU.
    expect(result.loudness.loudnessRangeLu).toBeGreaterThan(8);
    expect(result.loudness.loudnessRangeLu).toBeLessThan(10.5);
  });
});

/** Pearson correlation of a[from..from+n) with b[from+lag..from+lag+n). */
function correlation(a: Float32Array, b: Float32Array, lag: number, n: number, from = 0): number {
  let sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  for (let i = from; i < from + n; i++) {
    const x = a[i]!;
    const y = b[i + lag] ?? 0;
    sa += x; sb += y; saa += x * x; sbb += y * y; sab += x * y;
  }
  const cov = sab - (sa * sb) / n;
  return cov / Math.sqrt((saa - (sa * sa) / n) * (sbb - (sb * sb) / n));
}
