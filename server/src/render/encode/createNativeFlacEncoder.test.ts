import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFlac } from '../../stems/decodeFlac.ts';
import { BakeError } from '../BakeError.ts';
import { createMasterEncoder } from './createMasterEncoder.ts';
import { createNativeFlacEncoder } from './createNativeFlacEncoder.ts';
import type { FlacEncoderChoice } from './FlacEncoder.ts';
import { NATIVE_FLAC_COMMAND, nativeFlacAvailable, resolveFlacEncoder } from './resolveFlacEncoder.ts';
import { isProcessAlive } from '../../threads/isProcessAlive.testkit.ts';

const exec = promisify(execFile);
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mixroom-flac-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const WASM: FlacEncoderChoice = { kind: 'wasm' };
const NATIVE: FlacEncoderChoice = { kind: 'native', command: NATIVE_FLAC_COMMAND };
// .ci/run installs Debian's flac; without it the native cases cannot run here, and say so.
const haveNative = await nativeFlacAvailable();
const choices = haveNative ? [WASM, NATIVE] : [WASM];
if (!haveNative) console.warn('createNativeFlacEncoder.test: no native flac on the PATH (apt-get install flac); only the wasm encoder is tested');

const RATE = 48000;
/** Music-like: two tones under a slow swell and a little noise, up to near full scale, with a quiet tail where the dither shows. */
function music(frames: number): Float32Array[] {
  let s = 12345;
  return [0, 1].map((c) =>
    Float32Array.from({ length: frames }, (_, i) => {
      s = (s * 1103515245 + 12345) >>> 0;
      const env = i > frames * 0.8 ? 1e-5 : 0.9;
      return env * (0.6 * Math.sin(i * (0.031 + c * 0.002)) * Math.sin(i * 0.00021) + 0.3 * Math.sin(i * 0.37) + 0.05 * (s / 2 ** 32 - 0.5));
    }),
  );
}

/**
 * Encodes `input` in blocks of `block` with the encoder `choice`, header patches applied. The
 * WAV 24 of the same input (its own quantiser, the same default seed: the same integers) comes
 * with it, and the integers the encoder reported.
 */
async function encode(choice: FlacEncoderChoice, input: Float32Array[], block = 4096): Promise<{ flac: Buffer; wav: Buffer; ints: Int32Array }> {
  const frames = input[0]!.length;
  const ints = new Int32Array(frames * 2);
  let at = 0;
  const base = { sampleRate: RATE, channels: 2, totalFrames: frames, maxBlockFrames: block };
  const onQuantized = (q: Int32Array, n: number) => {
    ints.set(q.subarray(0, n * 2), at * 2);
    at += n;
  };
  const parts: Uint8Array[] = [];
  const wavParts: Uint8Array[] = [];
  const wavEncoder = await createMasterEncoder('wav24', base);
  let patches: { offset: number; bytes: Uint8Array }[];
  if (choice.kind === 'native') {
    const enc = await createNativeFlacEncoder({ ...base, onQuantized, onBytes: (c) => parts.push(c.slice()) }, choice.command);
    try {
      for (let i = 0; i < frames; i += block) {
        const n = Math.min(block, frames - i);
        const views = input.map((c) => c.subarray(i, i + n));
        wavParts.push(...wavEncoder.encode(views, n));
        await enc.encode(views, n);
      }
      await enc.finish();
      patches = enc.headerPatches();
    } finally {
      enc.dispose();
    }
  } else {
    const enc = await createMasterEncoder('flac', { ...base, onQuantized });
    try {
      for (let i = 0; i < frames; i += block) {
        const n = Math.min(block, frames - i);
        const views = input.map((c) => c.subarray(i, i + n));
        wavParts.push(...wavEncoder.encode(views, n));
        parts.push(...enc.encode(views, n));
      }
      parts.push(...enc.finish());
      patches = enc.headerPatches();
    } finally {
      enc.dispose();
    }
  }
  wavParts.push(...wavEncoder.finish());
  wavEncoder.dispose();
  const flac = Buffer.concat(parts);
  for (const p of patches) flac.set(p.bytes, p.offset);
  return { flac, wav: Buffer.concat(wavParts), ints };
}

/** The WAV's data chunk (it is a plain 44-byte-header file). */
const wavData = (wav: Buffer) => wav.subarray(44);

/** ffmpeg's decode of a FLAC as raw little-endian 24-bit PCM. */
async function ffmpegS24(flac: Buffer): Promise<Buffer> {
  const file = path.join(dir, `t${Math.random().toString(36).slice(2)}.flac`);
  await writeFile(file, flac);
  const { stdout } = await exec('ffmpeg', ['-v', 'error', '-i', file, '-f', 's24le', '-c:a', 'pcm_s24le', '-'], { encoding: 'buffer', maxBuffer: 1 << 28 });
  return stdout;
}

describe.each(choices.map((c) => [c.kind, c] as const))('FLAC by the %s encoder', (_kind, choice) => {
  it('decodes (ffmpeg, libFLAC in wasm, our stem decoder) to exactly the WAV 24 samples, same length, with the MD5 of those samples', async () => {
    const frames = RATE * 3 + 1234;
    const { flac, wav, ints } = await encode(choice, music(frames));
    // The samples the encoder was given are the WAV 24's, byte for byte.
    const packed = Buffer.alloc(frames * 6);
    for (let i = 0; i < frames * 2; i++) packed.writeIntLE(ints[i]!, i * 3, 3);
    expect(Buffer.compare(packed, wavData(wav))).toBe(0);

    const viaFfmpeg = await ffmpegS24(flac);
    expect(viaFfmpeg.length).toBe(frames * 6);
    expect(Buffer.compare(viaFfmpeg, wavData(wav))).toBe(0);

    const decoder = new FLACDecoder();
    await decoder.ready;
    const decoded = await decoder.decodeFile(new Uint8Array(flac));
    decoder.free();
    expect(decoded.errors).toEqual([]);
    expect(decoded.bitDepth).toBe(24);
    expect(decoded.samplesDecoded).toBe(frames);
    // This decoder scales 24-bit integers by 1 / (2^23 - 1) into float32: rounding recovers them exactly.
    let mismatches = 0;
    for (let c = 0; c < 2; c++) for (let i = 0; i < frames; i++) if (Math.round(decoded.channelData[c]![i]! * 8388607) !== ints[i * 2 + c]) mismatches++;
    expect(mismatches).toBe(0);

    // And the product's own FLAC decoder (stems: codec-parser framing, the length checked), which scales by 2^-23.
    const ours = await decodeFlac(new Uint8Array(flac), { maxSeconds: 60 });
    expect(ours.frames).toBe(frames);
    expect(ours.bitDepth).toBe(24);
    let oursOff = 0;
    for (let c = 0; c < 2; c++) for (let i = 0; i < frames; i++) if (ours.channelData[c]![i]! * 8388608 !== ints[i * 2 + c]) oursOff++;
    expect(oursOff).toBe(0);

    // STREAMINFO: 24 bits, 2 channels, the length, and the MD5 of the samples (patched in).
    const info = flac.subarray(8, 42);
    expect(flac.subarray(0, 4).toString('latin1')).toBe('fLaC');
    expect((((info[12]! & 1) << 4) | (info[13]! >> 4)) + 1).toBe(24);
    expect(((info[12]! >> 1) & 7) + 1).toBe(2);
    expect((info[13]! & 0x0f) * 2 ** 32 + info.readUInt32BE(14)).toBe(frames);
    expect(Buffer.from(flac.subarray(26, 42)).toString('hex')).toBe(createHash('md5').update(wavData(wav)).digest('hex'));
    expect(flac.length).toBeLessThan(wav.length);
  });

  it('encodes a song of no frames (a version of an empty mix) to a FLAC of no samples', async () => {
    const { flac, wav } = await encode(choice, [new Float32Array(0), new Float32Array(0)]);
    expect(flac.subarray(0, 4).toString('latin1')).toBe('fLaC');
    expect(wavData(wav).length).toBe(0);
    expect((await ffmpegS24(flac)).length).toBe(0);
  });

  it('gives identical bytes for identical input, whatever the block size', async () => {
    const input = music(RATE * 2 + 7);
    const a = await encode(choice, input, 16384);
    const b = await encode(choice, input, 16384);
    const c = await encode(choice, input, 1000);
    expect(Buffer.compare(a.flac, b.flac)).toBe(0);
    expect(Buffer.compare(a.flac, c.flac)).toBe(0);
  });
});

describe.runIf(haveNative)('the native flac: a child that fails cleanly', () => {
  const block = [new Float32Array(4096).fill(0.1), new Float32Array(4096).fill(0.1)];
  const base = { sampleRate: RATE, channels: 2, totalFrames: RATE * 60, maxBlockFrames: 65536, onBytes: () => {} };

  it('the wasm and the native encoder compress alike (the same level)', async () => {
    const input = music(RATE * 4);
    const [w, n] = [await encode(WASM, input), await encode(NATIVE, input)];
    console.log(`FLAC bytes: wasm ${w.flac.length}, native ${n.flac.length}`);
    expect(Math.abs(n.flac.length - w.flac.length) / w.flac.length).toBeLessThan(0.02);
  });

  it('a child that dies mid-encode is a typed error naming it, and the next encoder works', async () => {
    let pid = 0;
    const enc = await createNativeFlacEncoder({ ...base, onChild: (p, running) => running && (pid = p) }, NATIVE_FLAC_COMMAND);
    await enc.encode(block, 4096);
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, 'SIGKILL');
    let caught: unknown = null;
    try {
      for (let i = 0; i < 600; i++) await enc.encode(block, 4096);
      await enc.finish();
    } catch (err) {
      caught = err;
    }
    enc.dispose();
    expect(caught).toBeInstanceOf(BakeError);
    expect((caught as BakeError).code).toBe('encoder');
    expect((caught as BakeError).message).toMatch(/FLAC encoder \(flac\) was killed \(SIGKILL/);
    expect((await encode(NATIVE, music(4800))).flac.length).toBeGreaterThan(42);
  });

  it('dispose kills the child; a stalled child is stopped; a missing binary and a short input are typed errors', async () => {
    let pid = 0;
    const enc = await createNativeFlacEncoder({ ...base, onChild: (p, running) => running && (pid = p) }, NATIVE_FLAC_COMMAND);
    enc.dispose();
    await expect.poll(() => isProcessAlive(pid), { timeout: 10_000 }).toBe(false);

    // A "flac" that reads nothing: the pipe fills, nothing comes out, the watchdog stops it.
    const stall = path.join(dir, 'stall.sh');
    await writeFile(stall, '#!/bin/sh\nexec sleep 30\n', { mode: 0o755 });
    const stuck = await createNativeFlacEncoder({ ...base, stallMs: 300, onChild: (p, running) => running && (pid = p) }, stall);
    const big = [new Float32Array(65536), new Float32Array(65536)];
    const stalled = await (async () => {
      for (let i = 0; i < 40; i++) await stuck.encode(big, 65536);
    })().catch((e: unknown) => e);
    stuck.dispose();
    expect((stalled as BakeError).code).toBe('encoder');
    expect((stalled as BakeError).message).toMatch(/FLAC encoder wrote nothing for 0 s while it had input; it was stopped/);
    await expect.poll(() => isProcessAlive(pid), { timeout: 10_000 }).toBe(false);

    const missing = await (async () => {
      const e = await createNativeFlacEncoder({ ...base, totalFrames: 4096 }, path.join(dir, 'no-such-flac'));
      await e.encode(block, 4096).catch(() => {});
      await e.finish();
    })().catch((e: unknown) => e);
    expect((missing as BakeError).code).toBe('encoder');
    expect((missing as BakeError).message).toMatch(/exited with code 127/);

    const short = await createNativeFlacEncoder({ ...base, totalFrames: 8192 }, NATIVE_FLAC_COMMAND);
    await short.encode(block, 4096);
    const err = await short.finish().catch((e: unknown) => e);
    short.dispose();
    expect((err as BakeError).code).toBe('encoder');
    expect((err as BakeError).message).toMatch(/got 4096 frames, not the song's 8192/);
  });
});

describe('resolveFlacEncoder: FLAC_ENCODER', () => {
  it('wasm is the built-in one; auto is native when installed; native without one is a typed error', async () => {
    expect(await resolveFlacEncoder('wasm')).toEqual(WASM);
    expect(await resolveFlacEncoder('auto')).toEqual(haveNative ? NATIVE : WASM);
    if (haveNative) expect(await resolveFlacEncoder('native')).toEqual(NATIVE);
    else await expect(resolveFlacEncoder('native')).rejects.toThrow(/apt-get install flac/);
  });
});
