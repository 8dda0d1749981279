import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMp3Encoder } from './createMp3Encoder.ts';
import { crc16 } from './mp3/crc16.ts';

const exec = promisify(execFile);
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mixroom-mp3-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Encodes `frames` frames of a sine in blocks of `block`, as the bake does, patches applied. */
async function encode(sampleRate: number, frames: number, block = 4096): Promise<Uint8Array> {
  const enc = await createMp3Encoder({ sampleRate, channels: 2, totalFrames: frames, maxBlockFrames: block });
  const parts: Uint8Array[] = [];
  for (let at = 0; at < frames; at += block) {
    const n = Math.min(block, frames - at);
    const ch = Float32Array.from({ length: n }, (_, i) => 0.5 * Math.sin((at + i) * 0.05));
    parts.push(...enc.encode([ch, ch], n));
  }
  parts.push(...enc.finish());
  const bytes = Buffer.concat(parts);
  for (const p of enc.headerPatches()) bytes.set(p.bytes, p.offset);
  enc.dispose();
  return new Uint8Array(bytes);
}

/** Frames ffmpeg decodes from the file (it applies the LAME tag's delay and padding). */
async function ffmpegFrames(bytes: Uint8Array): Promise<number> {
  const file = path.join(dir, `t${Math.random().toString(36).slice(2)}.mp3`);
  await writeFile(file, bytes);
  const { stdout } = await exec('ffmpeg', ['-v', 'error', '-i', file, '-f', 's16le', '-c:a', 'pcm_s16le', '-'], { encoding: 'buffer', maxBuffer: 1 << 28 });
  return stdout.length / 4;
}

describe('createMp3Encoder: the LAME "Info" tag frame', () => {
  it('holds frames, bytes, delay 576 and padding, and CRCs a reader can check', async () => {
    const frames = 48000 * 2 + 333;
    const bytes = await encode(48000, frames);
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
        expect(await ffmpegFrames(await encode(rate, frames, 1000)), `${rate} Hz, ${frames} frames`).toBe(frames);
      }
    }
  });
});
