import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMixPlan } from '@mixroom/shared/plan';
import type { Mp3EncoderSetting } from '../server/src/render/encode/Mp3Encoder.ts';
import { nativeLameAvailable } from '../server/src/render/encode/resolveMp3Encoder.ts';
import { createFileStemSource } from '../server/src/render/input/createFileStemSource.ts';
import { renderBakeFormats } from '../server/src/render/renderBakeFormats.ts';
import { launchChromium } from './browser/launchChromium.ts';
import { serveStatic, type StaticServer } from './browser/serveStatic.ts';
import { writeDemoSong } from './demoSongFixture.ts';
import { ffmpegDecode } from './ffmpegLoudness.ts';
import { tempDir } from './renderFixtures.ts';

const exec = promisify(execFile);
const RATE = 48000;
/** Lags searched around 0: more than LAME's 1105-frame delay plus a frame. */
const MAX_LAG = 2400;
/** Frames correlated per window (a quarter second). */
const SPAN = RATE / 4;

let dir: string;
let dispose: () => Promise<void>;
let frames: number;
let wavPath: string;
/** The WAV 24 master as ffmpeg reads it: the reference both decoders must line up with. */
let reference: Float32Array[];
// Both encoders (the native LAME where installed: .ci/run installs it) must be gapless.
const encoders: Mp3EncoderSetting[] = (await nativeLameAvailable()) ? ['native', 'wasm'] : ['wasm'];
if (encoders.length === 1) console.warn('mp3Gapless.test: no native LAME on the PATH (apt-get install lame); only the wasm encoder is tested');
const mp3Path = (encoder: Mp3EncoderSetting) => path.join(dir, `mix-${encoder}.mp3`);

beforeAll(async () => {
  ({ dir, dispose } = await tempDir());
  const song = await writeDemoSong(dir, { seconds: 20 });
  frames = song.frames;
  wavPath = path.join(dir, 'mix.wav');
  for (const mp3Encoder of encoders) {
    const result = await renderBakeFormats(buildMixPlan(song.state), { stems: createFileStemSource(dir), formats: ['wav24', 'mp3'], workers: 2, mp3Encoder, outFiles: { wav24: wavPath, mp3: mp3Path(mp3Encoder) } });
    expect(result.mp3Encoder).toBe(mp3Encoder);
  }
  reference = await ffmpegDecode(wavPath);
  expect(reference[0]!.length).toBe(frames);
});
afterAll(() => dispose?.());

describe.each(encoders)('gapless MP3 (%s LAME): decoders play exactly the master, from its first frame', (encoder) => {
  it('ffmpeg reads the LAME tag (its CRC checks) and decodes the exact length, aligned at lag 0', async () => {
    const file = mp3Path(encoder);
    const probe = JSON.parse((await exec('ffprobe', ['-v', 'error', '-show_entries', 'stream_tags=encoder', '-of', 'json', file])).stdout) as {
      streams: { tags?: { encoder?: string } }[];
    };
    // ffmpeg names the encoder only when the LAME tag's CRC-16 matched.
    expect(probe.streams[0]?.tags?.encoder).toBe('LAME3.100');
    const mp3 = await ffmpegDecode(file);
    console.log(`ffmpeg: WAV ${frames} frames, MP3 ${mp3[0]!.length} frames`);
    expect(mp3[0]!.length).toBe(frames);
    for (const at of windows()) {
      for (let c = 0; c < 2; c++) {
        const { lag, corr } = bestLag(reference[c]!, mp3[c]!, at, SPAN);
        console.log(`ffmpeg ch${c} at ${(at / RATE).toFixed(1)} s: peak at lag ${lag}, correlation ${corr.toFixed(5)}`);
        expect(lag).toBe(0);
        expect(corr).toBeGreaterThan(0.99);
      }
    }
  });

  describe('in Chromium', () => {
    let browser: Browser;
    let server: StaticServer;
    beforeAll(async () => {
      browser = await launchChromium();
      server = await serveStatic({
        '/': { body: '<!doctype html><title>gapless</title>', type: 'text/html' },
        '/mix.wav': { body: new Uint8Array(await readFile(wavPath)), type: 'audio/wav' },
        '/mix.mp3': { body: new Uint8Array(await readFile(mp3Path(encoder))), type: 'audio/mpeg' },
      });
    });
    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it('decodeAudioData gives the WAV\'s exact length, aligned at lag 0', async () => {
      const page = await browser.newPage();
      await page.goto(`${server.origin}/`);
      const result = await page.evaluate(
        async ({ rate, maxLag, at, span }) => {
          // The context runs at the file's rate, so decodeAudioData does not resample.
          const ctx = new OfflineAudioContext(2, 1, rate);
          const decode = async (url: string) => ctx.decodeAudioData(await (await fetch(url)).arrayBuffer());
          const [wav, mp3] = await Promise.all([decode('/mix.wav'), decode('/mix.mp3')]);
          const lags: { channel: number; at: number; lag: number; corr: number }[] = [];
          for (let c = 0; c < 2; c++) {
            const a = wav.getChannelData(c);
            const b = mp3.getChannelData(c);
            for (const from of at) {
              let best = { lag: 0, corr: -2 };
              for (let lag = -maxLag; lag <= maxLag; lag++) {
                let sab = 0, saa = 0, sbb = 0;
                for (let i = from; i < from + span; i++) {
                  const x = a[i]!;
                  const y = b[i + lag] ?? 0;
                  sab += x * y; saa += x * x; sbb += y * y;
                }
                const corr = sab / Math.sqrt(saa * sbb || 1);
                if (corr > best.corr) best = { lag, corr };
              }
              lags.push({ channel: c, at: from, ...best });
            }
          }
          return { wavFrames: wav.length, mp3Frames: mp3.length, rate: mp3.sampleRate, lags };
        },
        { rate: RATE, maxLag: MAX_LAG, at: windows(), span: SPAN },
      );
      console.log(`Chromium ${browser.version()}: WAV ${result.wavFrames} frames, MP3 ${result.mp3Frames} frames`);
      for (const l of result.lags) console.log(`  ch${l.channel} at ${(l.at / RATE).toFixed(1)} s: peak at lag ${l.lag}, correlation ${l.corr.toFixed(5)}`);
      expect(result.rate).toBe(RATE);
      expect(result.wavFrames).toBe(frames);
      expect(result.mp3Frames).toBe(frames);
      for (const l of result.lags) {
        expect(l.lag).toBe(0);
        expect(l.corr).toBeGreaterThan(0.99);
      }
    });
  });
});

/** Window starts: the first beat, the middle and the last second (the padding end). */
function windows(): number[] {
  return [MAX_LAG, Math.floor(frames / 2), frames - SPAN - MAX_LAG - 1];
}

/** The lag of b against a (within +-MAX_LAG) with the highest normalised correlation over a[from, from + span). */
function bestLag(a: Float32Array, b: Float32Array, from: number, span: number): { lag: number; corr: number } {
  let best = { lag: 0, corr: -2 };
  for (let lag = -MAX_LAG; lag <= MAX_LAG; lag++) {
    let sab = 0, saa = 0, sbb = 0;
    for (let i = from; i < from + span; i++) {
      const x = a[i]!;
      const y = b[i + lag] ?? 0;
      sab += x * y;
      saa += x * x;
      sbb += y * y;
    }
    const corr = sab / Math.sqrt(saa * sbb || 1);
    if (corr > best.corr) best = { lag, corr };
  }
  return best;
}
