import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BakeError } from '../BakeError.ts';
import { createMp3Encoder } from './createMp3Encoder.ts';
import { crc16 } from './mp3/crc16.ts';
import type { Mp3EncoderChoice } from './Mp3Encoder.ts';
import { nativeLameAvailable, NATIVE_LAME_COMMAND, resolveMp3Encoder } from './resolveMp3Encoder.ts';
import { isProcessAlive } from '../../threads/isProcessAlive.testkit.ts';

const exec = promisify(execFile);
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mixroom-mp3-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const WASM: Mp3EncoderChoice = { kind: 'wasm' };
const NATIVE: Mp3EncoderChoice = { kind: 'native', command: NATIVE_LAME_COMMAND };
// .ci/run installs Debian's lame; without it the native cases cannot run here, and say so.
const haveNative = await nativeLameAvailable();
const choices = haveNative ? [WASM, NATIVE] : [WASM];
if (!haveNative) console.warn('createMp3Encoder.test: no native LAME on the PATH (apt-get install lame); only the wasm encoder is tested');

/** Encodes `frames` frames of a sine (or of `signal`) in blocks of `block`, as the bake does, patches applied. */
async function encode(encoder: Mp3EncoderChoice, sampleRate: number, frames: number, block = 4096, signal = (i: number) => 0.5 * Math.sin(i * 0.05)): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const enc = await createMp3Encoder({ sampleRate, channels: 2, totalFrames: frames, encoder, onBytes: (chunks) => parts.push(...chunks.map((c) => c.slice())) });
  try {
    for (let at = 0; at < frames; at += block) {
      const n = Math.min(block, frames - at);
      const ch = Float32Array.from({ length: n }, (_, i) => signal(at + i));
      await enc.encode([ch, ch], n);
    }
    await enc.finish();
    const bytes = Buffer.concat(parts);
    for (const p of enc.headerPatches()) bytes.set(p.bytes, p.offset);
    return new Uint8Array(bytes);
  } finally {
    enc.dispose();
  }
}

/** Frames ffmpeg decodes from the file (it applies the LAME tag's delay and padding). */
async function ffmpegFrames(bytes: Uint8Array): Promise<number> {
  const file = path.join(dir, `t${Math.random().toString(36).slice(2)}.mp3`);
  await writeFile(file, bytes);
  const { stdout } = await exec('ffmpeg', ['-v', 'error', '-i', file, '-f', 's16le', '-c:a', 'pcm_s16le', '-'], { encoding: 'buffer', maxBuffer: 1 << 28 });
  return stdout.length / 4;
}

describe.each(choices.map((c) => [c.kind, c] as const))('createMp3Encoder (%s LAME): the LAME "Info" tag frame', (_kind, encoder) => {
  it('holds frames, bytes, delay 576 and padding, and CRCs a reader can check', async () => {
    const frames = 48000 * 2 + 333;
    const bytes = await encode(encoder, 48000, frames);
    const v = new DataView(bytes.buffer, bytes.byteOffset);
    const ascii = (at: number, n: number) => String.fromCharCode(...bytes.subarray(at, at + n));
    expect(ascii(36, 4)).toBe('Info'); // after the 4-byte header and 32 bytes of stereo side info
    const audioFrames = v.getUint32(44);
    expect(audioFrames).toBe((bytes.length - 960) / 960); // 48 kHz, 320 kbit/s: 960-byte frames
    expect(v.getUint32(48)).toBe(bytes.length);
    expect(ascii(156, 9)).toBe('LAME3.100');
    const delay = (bytes[177]! << 4) | (bytes[178]! >> 4);
    const padding = ((bytes[178]! & 0x0f) << 8) | bytes[179]!;
    expect(delay).toBe(576);
    expect(delay + frames + padding).toBe(audioFrames * 1152);
    expect(v.getUint32(184)).toBe(bytes.length);
    expect(v.getUint16(188)).toBe(crc16(bytes.subarray(960)));
    expect(v.getUint16(190)).toBe(crc16(bytes.subarray(0, 190)));
  });

  it('decodes with ffmpeg to exactly the input length at every rate, for lengths around frame edges', async () => {
    for (const rate of [48000, 44100, 32000]) {
      for (const frames of [1, 575, 576, 577, 1151, 1152, 1153, 1729, rate * 3 + 17]) {
        expect(await ffmpegFrames(await encode(encoder, rate, frames, 1000)), `${rate} Hz, ${frames} frames`).toBe(frames);
      }
    }
  });

  it('gives identical bytes for identical input, whatever the block size', async () => {
    const noise = (i: number) => 0.7 * Math.sin(i * 0.031) * Math.sin(i * 0.00021) + 0.2 * Math.sin(i * 1.7);
    const a = await encode(encoder, 48000, 48000 * 5 + 7, 16384, noise);
    const b = await encode(encoder, 48000, 48000 * 5 + 7, 16384, noise);
    const c = await encode(encoder, 48000, 48000 * 5 + 7, 1000, noise);
    expect(Buffer.compare(a, b)).toBe(0);
    expect(Buffer.compare(a, c)).toBe(0);
    expect(a.length).toBeGreaterThan(5 * 40_000 * 0.9); // 320 kbit/s: 40 bytes a ms
  });
});

describe.runIf(haveNative)('the native LAME: the same encoder as the wasm build, and a child that fails cleanly', () => {
  it('encodes what the wasm build encodes: the same frame headers and length, most bytes identical', async () => {
    const music = (i: number) => 0.5 * Math.sin(i * 0.031) * Math.sin(i * 0.00021) + 0.25 * Math.sin(i * 0.37 + Math.sin(i * 0.001));
    const frames = 48000 * 4;
    const [w, n] = [await encode(WASM, 48000, frames, 16384, music), await encode(NATIVE, 48000, frames, 16384, music)];
    expect(n.length).toBe(w.length);
    expect(n.subarray(960, 964)).toEqual(w.subarray(960, 964)); // same header: 320 kbit/s, 48 kHz, joint stereo
    let same = 0;
    for (let i = 960; i < n.length; i++) if (n[i] === w[i]) same++;
    // Same LAME, same settings (quality 3) and level: most bytes agree; another quality agrees on ~2 %.
    console.log(`native vs wasm: ${((100 * same) / (n.length - 960)).toFixed(1)} % of audio bytes identical`);
    expect(same / (n.length - 960)).toBeGreaterThan(0.5);
  });

  it('a child that dies mid-encode is a typed error naming it, not a crash, and the next encoder works', async () => {
    let pid = 0;
    const enc = await createMp3Encoder({ sampleRate: 48000, channels: 2, totalFrames: 48000 * 10, encoder: NATIVE, onBytes: () => {}, onChild: (p, running) => running && (pid = p) });
    const block = [new Float32Array(4096).fill(0.1), new Float32Array(4096).fill(0.1)];
    await enc.encode(block, 4096);
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, 'SIGKILL');
    let caught: unknown = null;
    try {
      for (let i = 0; i < 200; i++) await enc.encode(block, 4096);
      await enc.finish();
    } catch (err) {
      caught = err;
    }
    enc.dispose();
    expect(caught).toBeInstanceOf(BakeError);
    expect((caught as BakeError).code).toBe('encoder');
    expect((caught as BakeError).message).toMatch(/MP3 encoder \(lame\) was killed \(SIGKILL/);
    expect((await encode(NATIVE, 48000, 4800)).length).toBeGreaterThan(960);
  });

  it('dispose kills the child; a stalled child is stopped at its time limit; a missing binary is a typed error', async () => {
    let pid = 0;
    const enc = await createMp3Encoder({ sampleRate: 48000, channels: 2, totalFrames: 48000, encoder: NATIVE, onBytes: () => {}, onChild: (p, running) => running && (pid = p) });
    enc.dispose();
    await expect.poll(() => isProcessAlive(pid), { timeout: 10_000 }).toBe(false);

    // A "LAME" that reads nothing: the pipe fills, nothing comes out, the watchdog stops it.
    const stall = path.join(dir, 'stall.sh');
    await writeFile(stall, '#!/bin/sh\nexec sleep 30\n', { mode: 0o755 });
    const stuck = await createMp3Encoder({ sampleRate: 48000, channels: 2, totalFrames: 48000 * 60, encoder: { kind: 'native', command: stall }, onBytes: () => {}, stallMs: 300, onChild: (p, running) => running && (pid = p) });
    const big = [new Float32Array(65536), new Float32Array(65536)];
    const stalled = await (async () => {
      for (let i = 0; i < 100; i++) await stuck.encode(big, 65536);
    })().catch((e: unknown) => e);
    stuck.dispose();
    expect((stalled as BakeError).code).toBe('encoder');
    expect((stalled as BakeError).message).toMatch(/wrote nothing for 0 s while it had input; it was stopped/);
    await expect.poll(() => isProcessAlive(pid), { timeout: 10_000 }).toBe(false);

    const missing = await (async () => {
      const e = await createMp3Encoder({ sampleRate: 48000, channels: 2, totalFrames: 4800, encoder: { kind: 'native', command: path.join(dir, 'no-such-lame') }, onBytes: () => {} });
      await e.encode([new Float32Array(4800), new Float32Array(4800)], 4800).catch(() => {});
      await e.finish();
    })().catch((e: unknown) => e);
    expect((missing as BakeError).code).toBe('encoder');
    expect((missing as BakeError).message).toMatch(/exited with code 127/);
  });
});

describe('resolveMp3Encoder: MP3_ENCODER', () => {
  it('wasm is the built-in one; auto is native when installed; native without one is a typed error', async () => {
    expect(await resolveMp3Encoder('wasm')).toEqual(WASM);
    expect(await resolveMp3Encoder('auto')).toEqual(haveNative ? NATIVE : WASM);
    if (haveNative) expect(await resolveMp3Encoder('native')).toEqual(NATIVE);
    else await expect(resolveMp3Encoder('native')).rejects.toThrow(/apt-get install lame/);
  });
});
