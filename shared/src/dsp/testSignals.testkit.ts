/** Test-only helpers shared by the dsp tests (not exported from the barrel). */
import type { DspProcessor } from './DspProcessor.ts';

/** Seeded white noise in [-amp, amp] (xorshift32): the same on every run. */
export function seededNoise(frames: number, amp: number, seed: number): Float32Array {
  const out = new Float32Array(frames);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < frames; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = ((s / 4294967296) * 2 - 1) * amp;
  }
  return out;
}

/** A sine of `frames` samples at `freq` Hz and peak `amp`. */
export function sine(frames: number, freq: number, amp: number, sampleRate: number, phase = 0): Float32Array {
  const out = new Float32Array(frames);
  for (let i = 0; i < frames; i++) out[i] = amp * Math.sin((2 * Math.PI * freq * i) / sampleRate + phase);
  return out;
}

/** Peak of |x| over [from, to). */
export function peakOf(x: Float32Array, from = 0, to = x.length): number {
  let p = 0;
  for (let i = from; i < to; i++) {
    const a = Math.abs(x[i]!);
    if (a > p) p = a;
  }
  return p;
}

/** RMS of x over [from, to). */
export function rmsOf(x: Float32Array, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s / (to - from));
}

/**
 * Renders `inputs` through a fresh processor made by `make`, in blocks of `block` frames,
 * returning `outChannels` output channels. `sidechain` is passed block by block too.
 */
export function renderBlocks(
  make: () => Pick<DspProcessor<unknown>, 'process'>,
  inputs: Float32Array[],
  block: number,
  outChannels = inputs.length,
  sidechain?: Float32Array[],
): Float32Array[] {
  const p = make();
  const frames = inputs[0]!.length;
  const outs = Array.from({ length: outChannels }, () => new Float32Array(frames));
  for (let i = 0; i < frames; i += block) {
    const n = Math.min(block, frames - i);
    p.process(
      inputs.map((c) => c.subarray(i, i + n)),
      outs.map((c) => c.subarray(i, i + n)),
      n,
      sidechain?.map((c) => c.subarray(i, i + n)),
    );
  }
  return outs;
}

/** Largest |a[i] - b[i]| over all channels. */
export function maxDiff(a: Float32Array[], b: Float32Array[]): number {
  let d = 0;
  for (let c = 0; c < a.length; c++) {
    const x = a[c]!;
    const y = b[c]!;
    for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i]! - y[i]!));
  }
  return d;
}

/**
 * Amplitude of the `freq` Hz component of x[from..from+n) (single-bin DFT; exact when the
 * window holds a whole number of periods).
 */
export function toneAmplitude(x: Float32Array, freq: number, sampleRate: number, from: number, n: number): number {
  let re = 0;
  let im = 0;
  const w = (2 * Math.PI * freq) / sampleRate;
  for (let i = 0; i < n; i++) {
    const v = x[from + i]!;
    re += v * Math.cos(w * i);
    im -= v * Math.sin(w * i);
  }
  return (2 * Math.hypot(re, im)) / n;
}
