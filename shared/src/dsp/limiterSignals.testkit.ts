/**
 * Test-only signals for the true-peak limiter (not exported from the barrel): music-like
 * program, 0 dBFS clicks and inter-sample-peak test signals, all stereo and deterministic.
 */
import { BiquadProcessor } from './biquad.ts';
import { seededNoise } from './testSignals.testkit.ts';

function lowpass(x: Float32Array, frequency: number, sampleRate: number): Float32Array {
  const b = new BiquadProcessor(sampleRate);
  b.setParams({ type: 'lowpass', frequency, Q: 0 });
  b.process([x], [x], x.length);
  return x;
}

function scaleToPeak(channels: Float32Array[], peakDb: number): Float32Array[] {
  let p = 0;
  for (const c of channels) for (const v of c) p = Math.max(p, Math.abs(v));
  const g = 10 ** (peakDb / 20) / p;
  for (const c of channels) for (let i = 0; i < c.length; i++) c[i] = c[i]! * g;
  return channels;
}

/**
 * Program material: a noise bed low-passed (two 12 dB/oct stages) at `bright` Hz, a bass
 * line, a kick every 0.5 s and a noisy snare on 2 and 4; scaled to a sample peak of `peakDb`.
 */
export function programSignal(seconds: number, sampleRate: number, seed: number, bright = 9000, peakDb = 9): Float32Array[] {
  const n = Math.round(seconds * sampleRate);
  const beat = Math.round(0.5 * sampleRate);
  const channels = [0, 1].map((c) => {
    const bed = lowpass(lowpass(seededNoise(n, 0.25, seed + c), bright, sampleRate), bright, sampleRate);
    const snare = lowpass(seededNoise(n, 1, seed + 10 + c), 7000, sampleRate);
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const k = (i % beat) / sampleRate;
      const kick = 0.9 * Math.exp(-k * 12) * Math.sin(2 * Math.PI * (50 + 100 * Math.exp(-k * 30)) * k);
      const s = ((i + beat) % (2 * beat)) / sampleRate;
      out[i] = bed[i]! + 0.3 * Math.sin((2 * Math.PI * (55 + c) * i) / sampleRate) + kick + 0.8 * Math.exp(-s * 25) * snare[i]!;
    }
    return out;
  });
  return scaleToPeak(channels, peakDb);
}

/** Single-sample clicks of ±1.0 (0 dBFS) every 0.25 s, on `bed` (copied) or on silence. */
export function clickSignal(seconds: number, sampleRate: number, bed?: Float32Array[]): Float32Array[] {
  const n = Math.round(seconds * sampleRate);
  const channels = bed ? bed.map((c) => c.slice(0, n)) : [new Float32Array(n), new Float32Array(n)];
  const every = Math.round(0.25 * sampleRate);
  for (let i = 1000, k = 0; i + 2 < n; i += every, k++) {
    channels[0]![i] = k % 2 ? -1 : 1;
    channels[1]![i + (k % 3)] = k % 2 ? 1 : -1;
  }
  return channels;
}

/** A sine at fs/4 and 45° phase: every sample is ±10^(sampleDb/20), the true peak √2 (+3.01 dB) above. */
export function quarterRateSignal(seconds: number, sampleRate: number, sampleDb = 0): Float32Array[] {
  const n = Math.round(seconds * sampleRate);
  const a = 10 ** (sampleDb / 20) * Math.SQRT2;
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = a * Math.sin((Math.PI / 2) * i + Math.PI / 4);
  return [x, x.slice()];
}

/** A sine of `freq` Hz starting abruptly at phase `phase`, scaled to a sample peak of `sampleDb`. */
export function toneSignal(seconds: number, sampleRate: number, freq: number, sampleDb: number, phase: number): Float32Array[] {
  const n = Math.round(seconds * sampleRate);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = Math.sin((2 * Math.PI * freq * i) / sampleRate + phase);
  return scaleToPeak([x, x.slice()], sampleDb);
}

/** Bright noise hard-clipped at ±1: square-ish edges with inter-sample overs everywhere. */
export function clippedSignal(seconds: number, sampleRate: number, seed: number): Float32Array[] {
  const n = Math.round(seconds * sampleRate);
  return [0, 1].map((c) => {
    const x = lowpass(seededNoise(n, 3, seed + c), 15000, sampleRate);
    for (let i = 0; i < n; i++) x[i] = Math.max(-1, Math.min(1, x[i]!));
    return x;
  });
}

/** The limiter's test material by name: what it is and how hot it drives the limiter. */
export function limiterTestSignals(sampleRate: number): [string, Float32Array[]][] {
  return [
    ['program, 9 dB over full scale', programSignal(12, sampleRate, 1)],
    ['bright program, 20 dB over', programSignal(8, sampleRate, 5, 16000, 20)],
    ['0 dBFS clicks on silence', clickSignal(3, sampleRate)],
    ['0 dBFS clicks on program', clickSignal(6, sampleRate, programSignal(6, sampleRate, 3, 14000, 3))],
    ['fs/4 sine at 45°, 0 dBFS samples (+3 dBTP)', quarterRateSignal(2, sampleRate)],
    ['19 kHz sine from 0 dBFS, abrupt start', toneSignal(2, sampleRate, 19000, 0, 0.3)],
    ['997 Hz sine, +6 dBFS', toneSignal(2, sampleRate, 997, 6, 0.1)],
    ['hard-clipped bright noise', clippedSignal(6, sampleRate, 7)],
  ];
}
