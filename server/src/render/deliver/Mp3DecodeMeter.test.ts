import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BakeError } from '../BakeError.ts';
import { createMp3Encoder } from '../encode/createMp3Encoder.ts';
import { lameInfoFrameBytes } from '../encode/mp3/lameInfoFrame.ts';
import type { NativeCodecChoice } from '../encode/nativeCodecChoice.ts';
import { Mp3DecodeMeter } from './Mp3DecodeMeter.ts';
import { NATIVE_MPG123_COMMAND, nativeMpg123Available, resolveMp3MeterDecoder } from './resolveMp3MeterDecoder.ts';

const RATE = 48000;
const FRAMES = RATE * 6 + 123;
const WASM: NativeCodecChoice = { kind: 'wasm' };
const NATIVE: NativeCodecChoice = { kind: 'native', command: NATIVE_MPG123_COMMAND };
// .ci/run installs Debian's mpg123; without it the native cases cannot run here, and say so.
const haveNative = await nativeMpg123Available();
if (!haveNative) console.warn('Mp3DecodeMeter.test: no native mpg123 on the PATH (apt-get install mpg123); only the wasm decoder is tested');

let dir: string;
/** The audio frames of an MP3 of a loud, busy signal (the tag frame left out, as the writer feeds the meter). */
let audio: Buffer;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mixroom-mp3meter-'));
  const parts: Uint8Array[] = [];
  const enc = await createMp3Encoder({ sampleRate: RATE, channels: 2, totalFrames: FRAMES, encoder: { kind: 'wasm' }, onBytes: (c) => parts.push(...c.map((x) => x.slice())) });
  let s = 1;
  for (let at = 0; at < FRAMES; at += 16384) {
    const n = Math.min(16384, FRAMES - at);
    const block = [0, 1].map((c) =>
      Float32Array.from({ length: n }, (_, i) => {
        s = (s * 1103515245 + 12345) >>> 0;
        const k = at + i;
        return 0.9 * Math.sin(k * (0.031 + c * 0.01)) * Math.sin(k * 0.0002) + 0.05 * (s / 2 ** 32 - 0.5);
      }),
    );
    await enc.encode(block, n);
  }
  await enc.finish();
  enc.dispose();
  audio = Buffer.concat(parts).subarray(lameInfoFrameBytes(RATE));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Meters `bytes` fed in pieces of `piece` bytes, as the writer feeds it. */
async function measure(decoder: NativeCodecChoice, bytes: Uint8Array, piece = 4000, extra: { onChild?: (pid: number, running: boolean) => void } = {}) {
  const meter = await Mp3DecodeMeter.create({ sampleRate: RATE, channels: 2, totalFrames: FRAMES, decoder, ...extra });
  try {
    for (let i = 0; i < bytes.length; i += piece) {
      meter.push(bytes.subarray(i, i + piece));
      await meter.drained();
    }
    return await meter.result(0);
  } finally {
    meter.dispose();
  }
}

describe.runIf(haveNative)('Mp3DecodeMeter: the native mpg123 against its wasm build', () => {
  it('measures the same MP3 alike, cut to the master length, whatever the pieces', async () => {
    const wasm = await measure(WASM, audio);
    const native = await measure(NATIVE, audio);
    const odd = await measure(NATIVE, audio, 333);
    console.log(`wasm ${JSON.stringify(wasm)}; native ${JSON.stringify(native)}`);
    // Their float synthesis rounds differently: 1e-6 LU and 1e-7 dB apart here, not exactly equal.
    expect(Math.abs(native.integratedLufs! - wasm.integratedLufs!)).toBeLessThan(1e-4);
    expect(Math.abs(native.truePeakDb! - wasm.truePeakDb!)).toBeLessThan(1e-4);
    expect(native.clippedSamples).toBe(wasm.clippedSamples);
    expect(odd).toEqual(native);
    expect(await measure(WASM, audio, 333)).toEqual(wasm);
  });

  it('a killed decoder, a missing one and bytes that are no MP3 are typed errors', async () => {
    let pid = 0;
    const meter = await Mp3DecodeMeter.create({ sampleRate: RATE, channels: 2, totalFrames: FRAMES, decoder: NATIVE, onChild: (p, running) => running && (pid = p) });
    meter.push(audio.subarray(0, 50_000));
    await meter.drained();
    process.kill(pid, 'SIGKILL');
    const killed = await meter.result(0).catch((e: unknown) => e);
    meter.dispose();
    expect(killed).toBeInstanceOf(BakeError);
    expect((killed as BakeError).message).toMatch(/MP3 decoder \(mpg123\) was killed \(SIGKILL/);

    const missing = await measure({ kind: 'native', command: path.join(dir, 'no-such-mpg123') }, audio).catch((e: unknown) => e);
    expect((missing as BakeError).code).toBe('encoder');
    expect((missing as BakeError).message).toMatch(/exited with code 127/);

    const noise = Buffer.alloc(200_000, 0x5a);
    const garbage = await measure(NATIVE, noise).catch((e: unknown) => e);
    expect((garbage as BakeError).code).toBe('encoder');
    expect((garbage as BakeError).message).toMatch(/MP3 decod/);

    // A stalled decoder (reads nothing) is stopped at its time limit.
    const stall = path.join(dir, 'stall.sh');
    await writeFile(stall, '#!/bin/sh\nexec sleep 30\n', { mode: 0o755 });
    const stuck = await Mp3DecodeMeter.create({ sampleRate: RATE, channels: 2, totalFrames: FRAMES, decoder: { kind: 'native', command: stall }, stallMs: 300 });
    stuck.push(audio);
    const stalled = await stuck.result(0).catch((e: unknown) => e);
    stuck.dispose();
    expect((stalled as BakeError).message).toMatch(/MP3 decoder wrote nothing for 0 s while it had input; it was stopped/);
  });
});

describe('resolveMp3MeterDecoder: MP3_METER_DECODER', () => {
  it('wasm is the built-in one; auto is native when installed; native without one is a typed error', async () => {
    expect(await resolveMp3MeterDecoder('wasm')).toEqual(WASM);
    expect(await resolveMp3MeterDecoder('auto')).toEqual(haveNative ? NATIVE : WASM);
    if (haveNative) expect(await resolveMp3MeterDecoder('native')).toEqual(NATIVE);
    else await expect(resolveMp3MeterDecoder('native')).rejects.toThrow(/apt-get install mpg123/);
  });
});
