import { seededNoise } from '../../shared/src/dsp/testSignals.testkit.ts';

/**
 * Deterministic generated stems for engine and parity tests (no files, no randomness
 * between runs). Every generator returns planar channels at `sampleRate`.
 */

/** xorshift32 white noise in [-amp, amp] (the dsp tests' seeded noise). */
export const noiseStem = seededNoise;

export function sineStem(frames: number, freq: number, amp: number, sampleRate: number): Float32Array {
  const out = new Float32Array(frames);
  for (let i = 0; i < frames; i++) out[i] = amp * Math.sin((2 * Math.PI * freq * i) / sampleRate);
  return out;
}

/** A kick: a 150 -> 45 Hz pitch-swept sine with a fast decay, one hit every `interval` seconds. */
export function kickStem(frames: number, sampleRate: number, interval = 0.5, amp = 0.9): Float32Array {
  const out = new Float32Array(frames);
  const period = Math.round(interval * sampleRate);
  for (let start = 0; start < frames; start += period) {
    let phase = 0;
    for (let i = 0; i < period && start + i < frames; i++) {
      const t = i / sampleRate;
      const f = 45 + 105 * Math.exp(-t * 30);
      phase += (2 * Math.PI * f) / sampleRate;
      out[start + i] = amp * Math.exp(-t * 9) * Math.sin(phase);
    }
  }
  return out;
}

/** A bass: a sustained note (fundamental + two harmonics) changing pitch every second. */
export function bassStem(frames: number, sampleRate: number, amp = 0.4): Float32Array {
  const notes = [55, 73.42, 61.74, 82.41];
  const out = new Float32Array(frames);
  let phase = 0;
  for (let i = 0; i < frames; i++) {
    const f = notes[Math.floor(i / sampleRate) % notes.length]!;
    phase += (2 * Math.PI * f) / sampleRate;
    out[i] = amp * (0.7 * Math.sin(phase) + 0.2 * Math.sin(2 * phase) + 0.1 * Math.sin(3 * phase));
  }
  return out;
}

/** Short noise bursts (a snare/hat-like transient source) every `interval` seconds, offset by `offset`. */
export function burstStem(frames: number, sampleRate: number, seed: number, interval = 0.5, offset = 0.25, amp = 0.5): Float32Array {
  const noise = noiseStem(frames, amp, seed);
  const out = new Float32Array(frames);
  const period = Math.round(interval * sampleRate);
  const first = Math.round(offset * sampleRate);
  for (let start = first; start < frames; start += period) {
    for (let i = 0; i < period && start + i < frames; i++) out[start + i] = noise[start + i]! * Math.exp((-i / sampleRate) * 25);
  }
  return out;
}

/** Peak of |a - b| over [from, to) in dBFS (-Infinity when identical). */
export function residualDb(a: Float32Array, b: Float32Array, from = 0, to = Math.min(a.length, b.length)): number {
  let peak = 0;
  for (let i = from; i < to; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (d > peak) peak = d;
  }
  return 20 * Math.log10(peak);
}

/** Peak of |x| over [from, to) in dBFS. */
export function peakDb(x: Float32Array, from = 0, to = x.length): number {
  let p = 0;
  for (let i = from; i < to; i++) p = Math.max(p, Math.abs(x[i]!));
  return 20 * Math.log10(p);
}

/** RMS of x over [from, to) in dBFS. */
export function rmsDb(x: Float32Array, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i]! * x[i]!;
  return 10 * Math.log10(s / Math.max(1, to - from));
}

/** Amplitude (dBFS) of the `freq` component of x over [from, from + n), by a Goertzel DFT bin. */
export function toneDb(x: Float32Array, freq: number, sampleRate: number, from: number, n: number): number {
  const w = (2 * Math.PI * freq) / sampleRate;
  let re = 0;
  let im = 0;
  for (let i = 0; i < n; i++) {
    const v = x[from + i]!;
    re += v * Math.cos(w * i);
    im -= v * Math.sin(w * i);
  }
  return 20 * Math.log10((2 * Math.hypot(re, im)) / n);
}

/** Peak residual |a - b| in dBFS over consecutive windows of `windowFrames` (the last one may be shorter). */
export function residualWindowsDb(a: Float32Array, b: Float32Array, windowFrames: number): number[] {
  const n = Math.min(a.length, b.length);
  const out: number[] = [];
  for (let from = 0; from < n; from += windowFrames) out.push(residualDb(a, b, from, Math.min(n, from + windowFrames)));
  return out;
}

/** `x` shortened to `frames` frames and preceded by `lead` frames of digital silence (a stem exported from the song's start that plays late). */
export function placeStem(x: Float32Array, lead: number, frames: number): Float32Array {
  const out = new Float32Array(lead + frames);
  out.set(x.subarray(0, frames), lead);
  return out;
}
