/**
 * The master limiter holds its true-peak ceiling by two independent meters: ours (BS.1770-4
 * Annex 2, 4x) and ffmpeg's ebur128 (libswresample to 192 kHz), within 0.05 dB, on program
 * material, 0 dBFS clicks and inter-sample-peak test signals. The limiter measured is the
 * bake's (WebAssembly), checked bit-identical to the JavaScript kernel the browser runs.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LimiterProcessor, TruePeakMeter } from '@mixroom/shared/dsp';
import { limiterTestSignals } from '../shared/src/dsp/limiterSignals.testkit.ts';
import { WasmLimiter } from '../server/src/render/simd/WasmLimiter.ts';
import { floatWav } from './renderFixtures.ts';

const run = promisify(execFile);
const SR = 48000;
const TOLERANCE_DB = 0.05;
const db = (x: number) => 20 * Math.log10(x);

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mixroom-limiter-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** ffmpeg's true peak (linear, max over channels) of a WAV file, from its ebur128 metadata (three decimals). */
async function ffmpegTruePeak(file: string): Promise<number> {
  const { stderr } = await run('ffmpeg', ['-hide_banner', '-nostats', '-i', file, '-af', 'ebur128=peak=true:metadata=1,ametadata=mode=print:key=lavfi.r128.true_peak', '-f', 'null', '-'], {
    maxBuffer: 1 << 28,
  });
  const values = [...stderr.matchAll(/lavfi\.r128\.true_peak=([\d.]+)/g)].map((m) => Number(m[1]));
  if (values.length === 0) throw new Error(`no true peak in ffmpeg's output:\n${stderr.slice(-2000)}`);
  return values[values.length - 1]!; // the running maximum: the last frame's is the file's
}

function ourTruePeak(channels: Float32Array[]): number {
  let p = 0;
  for (const c of channels) {
    const m = new TruePeakMeter();
    m.process(c);
    p = Math.max(p, m.linearPeak);
  }
  return p;
}

type Limiter = { process(i: readonly Float32Array[], o: readonly Float32Array[], n: number): void };

function render(limiter: Limiter, x: Float32Array[], block: number): Float32Array[] {
  const out = x.map((c) => new Float32Array(c.length));
  for (let at = 0; at < x[0]!.length; at += block) {
    const n = Math.min(block, x[0]!.length - at);
    limiter.process(
      x.map((c) => c.subarray(at, at + n)),
      out.map((c) => c.subarray(at, at + n)),
      n,
    );
  }
  return out;
}

describe('master limiter true peak, by our meter and by ffmpeg', () => {
  for (const [ceiling, release] of [[-1, 0.05], [-0.3, 0.01]] as const) {
    it(`ceiling ${ceiling} dBTP, release ${release * 1000} ms: every test signal at or below the ceiling + ${TOLERANCE_DB} dB`, async () => {
      const rows: string[] = [];
      for (const [name, x] of limiterTestSignals(SR)) {
        const js = new LimiterProcessor(SR);
        js.setParams({ ceiling, release });
        const wasm = new WasmLimiter(js.steadyState()!);
        const y = render(wasm, x, 8192);
        const reference = render(js, x, 128);
        for (let c = 0; c < 2; c++) expect(Buffer.compare(Buffer.from(y[c]!.buffer), Buffer.from(reference[c]!.buffer)), `${name}: bake = worklet kernel`).toBe(0);
        const file = path.join(dir, `${name.replace(/\W+/g, '-')}.wav`);
        await writeFile(file, floatWav(y, SR));
        const ours = db(ourTruePeak(y)) - ceiling;
        const ffmpeg = db(await ffmpegTruePeak(file)) - ceiling;
        rows.push(`  ${name}: in ${db(ourTruePeak(x)).toFixed(2)} dBTP; out, over the ceiling: ours ${ours.toFixed(4)} dB, ffmpeg ${ffmpeg.toFixed(3)} dB`);
        expect(ours, `${name} (our meter)`).toBeLessThanOrEqual(TOLERANCE_DB);
        expect(ffmpeg, `${name} (ffmpeg)`).toBeLessThanOrEqual(TOLERANCE_DB);
      }
      console.log(`limiter ceiling ${ceiling} dBTP, release ${release * 1000} ms:\n${rows.join('\n')}`);
    });
  }
});
