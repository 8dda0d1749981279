/**
 * Deterministic stereo test programme: three sines per channel (different per channel so a
 * channel swap is caught) at a combined peak below -3 dBFS, with a 10 ms fade in and out.
 */
export function testSignal(seconds: number, sampleRate: number, channels = 2): Float32Array[] {
  const frames = Math.round(seconds * sampleRate);
  const out: Float32Array[] = [];
  for (let c = 0; c < channels; c++) {
    const x = new Float32Array(frames);
    const f = [220 * (c + 1), 1000 + 110 * c, 3150 - 200 * c];
    const fade = Math.round(0.01 * sampleRate);
    for (let i = 0; i < frames; i++) {
      const t = i / sampleRate;
      const env = Math.min(1, i / fade, (frames - 1 - i) / fade);
      x[i] = env * (0.3 * Math.sin(2 * Math.PI * f[0]! * t) + 0.2 * Math.sin(2 * Math.PI * f[1]! * t + 0.5) + 0.1 * Math.sin(2 * Math.PI * f[2]! * t + 1));
    }
    out.push(x);
  }
  return out;
}

/** The signal exactly as an N-bit integer PCM file stores it (round, clamp), back as float. */
export function quantize(channels: Float32Array[], bits: number): Float32Array[] {
  const full = Math.pow(2, bits - 1);
  return channels.map((ch) => ch.map((v) => Math.max(-full, Math.min(full - 1, Math.round(v * full))) / full));
}

/** Residual of `actual` against `reference`, in dB relative to the reference's RMS. */
export function nullResidualDb(actual: Float32Array[], reference: Float32Array[], offset = 0): number {
  let err = 0;
  let ref = 0;
  for (let c = 0; c < reference.length; c++) {
    const a = actual[c]!;
    const r = reference[c]!;
    for (let i = 0; i < r.length; i++) {
      const d = (a[i + offset] ?? 0) - r[i]!;
      err += d * d;
      ref += r[i]! * r[i]!;
    }
  }
  return err === 0 ? -Infinity : 10 * Math.log10(err / ref);
}
