/**
 * For lossy codecs: finds the lag (within +/-maxLag) that best aligns `actual` to
 * `reference` (cross-correlation on a 0.2 s window in the middle), then returns the lag,
 * the aligned null residual (dB re reference RMS) and the level difference (dB).
 */
export function alignAndCompare(actual: Float32Array, reference: Float32Array, sampleRate: number, maxLag = 4096) {
  const win = Math.round(0.2 * sampleRate);
  const mid = Math.floor(reference.length / 2) - Math.floor(win / 2);
  let bestLag = 0;
  let best = -Infinity;
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    let s = 0;
    for (let i = 0; i < win; i++) s += reference[mid + i]! * (actual[mid + i + lag] ?? 0);
    if (s > best) (best = s), (bestLag = lag);
  }
  // Compare the middle 80 % (codecs smear the edges).
  const from = Math.floor(reference.length * 0.1);
  const to = Math.floor(reference.length * 0.9);
  let err = 0;
  let ref = 0;
  let act = 0;
  for (let i = from; i < to; i++) {
    const a = actual[i + bestLag] ?? 0;
    const r = reference[i]!;
    err += (a - r) ** 2;
    ref += r * r;
    act += a * a;
  }
  return { lag: bestLag, nullDb: 10 * Math.log10(err / ref), levelDiffDb: 10 * Math.log10(act / ref) };
}
