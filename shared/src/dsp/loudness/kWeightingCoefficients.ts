/**
 * One second-order section: `b` feed-forward, `a` feedback (a0 normalised to 1).
 */
export interface BiquadCoefficients {
  readonly b0: number;
  readonly b1: number;
  readonly b2: number;
  readonly a1: number;
  readonly a2: number;
}

/** The two stages of the BS.1770-4 K-weighting pre-filter for one sample rate. */
export interface KWeightingCoefficients {
  /** Stage 1: high-shelf (+4 dB above ~1.7 kHz) modelling the head. */
  readonly shelf: BiquadCoefficients;
  /** Stage 2: RLB high-pass (~38 Hz). */
  readonly highPass: BiquadCoefficients;
}

/**
 * K-weighting coefficients for any sample rate. BS.1770-4 tabulates them only for 48 kHz;
 * these are the analogue prototypes behind that table, mapped with the bilinear transform
 * (the derivation libebur128 uses), so at 48 kHz they reproduce the table to ~1e-8 and at
 * other rates they give the same response instead of a re-used 48 kHz table.
 */
export function kWeightingCoefficients(sampleRate: number): KWeightingCoefficients {
  if (!(sampleRate > 0) || !Number.isFinite(sampleRate)) {
    throw new RangeError(`kWeightingCoefficients: invalid sample rate ${sampleRate}`);
  }
  // Stage 1: high shelf.
  let f0 = 1681.974450955533;
  const gainDb = 3.999843853973347;
  let q = 0.7071752369554196;
  let k = Math.tan((Math.PI * f0) / sampleRate);
  const vh = Math.pow(10, gainDb / 20);
  const vb = Math.pow(vh, 0.4996667741545416);
  const a0 = 1 + k / q + k * k;
  const shelf: BiquadCoefficients = {
    b0: (vh + (vb * k) / q + k * k) / a0,
    b1: (2 * (k * k - vh)) / a0,
    b2: (vh - (vb * k) / q + k * k) / a0,
    a1: (2 * (k * k - 1)) / a0,
    a2: (1 - k / q + k * k) / a0,
  };
  // Stage 2: RLB high-pass. Its numerator is fixed at (1, -2, 1) by the standard.
  f0 = 38.13547087602444;
  q = 0.5003270373238773;
  k = Math.tan((Math.PI * f0) / sampleRate);
  const d = 1 + k / q + k * k;
  const highPass: BiquadCoefficients = {
    b0: 1,
    b1: -2,
    b2: 1,
    a1: (2 * (k * k - 1)) / d,
    a2: (1 - k / q + k * k) / d,
  };
  return { shelf, highPass };
}
