/** Zeroth-order modified Bessel function of the first kind (series; converges fast for x < 50). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 64; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/**
 * Linear-phase windowed-sinc low-pass FIR (Kaiser window), unity DC gain. `cutoff` is in
 * cycles per sample (0.5 = Nyquist); `beta` sets the stopband (β ≈ 0.1102·(A − 8.7) for A dB).
 * Deterministic: the same arguments always give the same taps.
 */
export function kaiserLowpass(taps: number, cutoff: number, beta: number): Float64Array {
  const h = new Float64Array(taps);
  const mid = (taps - 1) / 2;
  const i0b = besselI0(beta);
  let sum = 0;
  for (let n = 0; n < taps; n++) {
    const t = n - mid;
    const sinc = t === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * t) / (Math.PI * t);
    const r = mid === 0 ? 0 : t / mid;
    const w = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0b;
    h[n] = sinc * w;
    sum += h[n]!;
  }
  for (let n = 0; n < taps; n++) h[n] = h[n]! / sum;
  return h;
}
