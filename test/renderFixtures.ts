import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import wavefile from 'wavefile';
import type { MasterBlock } from '../server/src/render/bakeMix.ts';

/** Deterministic test signals and stem files for the bake tests. */

/** xorshift noise in [-amp, amp), seeded: the same call gives the same samples. */
export function noise(frames: number, amp: number, seed: number): Float32Array {
  const out = new Float32Array(frames);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < frames; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = ((s >>> 0) / 4294967296 - 0.5) * 2 * amp;
  }
  return out;
}

export function sine(frames: number, freq: number, amp: number, sampleRate = 48000): Float32Array {
  const out = new Float32Array(frames);
  for (let i = 0; i < frames; i++) out[i] = amp * Math.sin((2 * Math.PI * freq * i) / sampleRate);
  return out;
}

/** A 32-bit float WAV file's bytes (the canonical stem format). */
export function floatWav(channels: readonly Float32Array[], sampleRate = 48000): Uint8Array {
  const frames = channels[0]!.length;
  const n = channels.length;
  const dataBytes = frames * n * 4;
  const buf = new Uint8Array(44 + dataBytes);
  const v = new DataView(buf.buffer);
  const str = (at: number, s: string): void => {
    for (let i = 0; i < 4; i++) buf[at + i] = s.charCodeAt(i);
  };
  str(0, 'RIFF');
  v.setUint32(4, 36 + dataBytes, true);
  str(8, 'WAVE');
  str(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, 3, true);
  v.setUint16(22, n, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * n * 4, true);
  v.setUint16(32, n * 4, true);
  v.setUint16(34, 32, true);
  str(36, 'data');
  v.setUint32(40, dataBytes, true);
  const samples = new Float32Array(buf.buffer, 44, frames * n);
  for (let c = 0; c < n; c++) for (let i = 0; i < frames; i++) samples[i * n + c] = channels[c]![i]!;
  return buf;
}

/** Integer PCM WAV (16 or 24 bit, written by wavefile) of samples already on the format's grid (see quantize). */
export function pcmWav(channels: readonly Float32Array[], bits: 16 | 24, sampleRate = 48000): Uint8Array {
  const full = 2 ** (bits - 1);
  const wav = new wavefile.WaveFile();
  wav.fromScratch(channels.length, sampleRate, String(bits), channels.map((ch) => Array.from(ch, (x) => Math.round(x * full))));
  return wav.toBuffer();
}

/** The signal on a `bits`-bit PCM grid, clipped to its range: what decoding its pcmWav gives back. */
export function quantize(x: Float32Array, bits: 16 | 24): Float32Array {
  const full = 2 ** (bits - 1);
  return x.map((v) => Math.max(-full, Math.min(full - 1, Math.round(v * full))) / full);
}

export async function tempDir(): Promise<{ dir: string; dispose: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mixroom-render-test-'));
  return { dir, dispose: () => rm(dir, { recursive: true, force: true }) };
}

export async function writeStem(dir: string, key: string, channels: readonly Float32Array[], sampleRate = 48000): Promise<void> {
  await writeFile(path.join(dir, key), floatWav(channels, sampleRate));
}

/** Collects a bake's master blocks into whole channels (tests only: a real bake streams). */
export async function collect(blocks: AsyncIterable<MasterBlock>): Promise<Float32Array[]> {
  const parts: Float32Array[][] = [];
  let frames = 0;
  for await (const b of blocks) {
    parts.push(b.channels.map((c) => c.slice(0, b.frames)));
    frames += b.frames;
  }
  const out = [new Float32Array(frames), new Float32Array(frames)];
  let at = 0;
  for (const p of parts) {
    out[0]!.set(p[0]!, at);
    out[1]!.set(p[1]!, at);
    at += p[0]!.length;
  }
  return out;
}

/** Residual level of a - b relative to full scale, in dBFS (peak). -Infinity when identical. */
export function nullDb(a: Float32Array, b: Float32Array): number {
  let peak = 0;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) peak = Math.max(peak, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  return peak > 0 ? 20 * Math.log10(peak) : -Infinity;
}

export function rmsDb(x: Float32Array, from = 0, to = x.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += x[i]! * x[i]!;
  return 10 * Math.log10(sum / (to - from));
}
