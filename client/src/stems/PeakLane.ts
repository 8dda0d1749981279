/**
 * Waveform peaks of one stem at one resolution, as a lane draws them: min/max pairs
 * (interleaved, -1..1, channels merged) per bucket of `bucketSeconds`. Several resolutions
 * may exist; the lane picks the coarsest one that still has at least one bucket per pixel.
 */
export interface PeakLane {
  bucketSeconds: number;
  /** [min0, max0, min1, max1, ...] */
  data: Float32Array;
}
