/**
 * BS.1770-4 channel weights G_i by channel count, in the usual interleaving order
 * (L, R, C, LFE, Ls, Rs for 5.1). The LFE channel is excluded (weight 0) and surrounds get
 * +1.5 dB (1.41). Mono and stereo weigh every channel 1.
 */
export function channelWeights(channels: number): Float64Array {
  const w = new Float64Array(channels).fill(1);
  if (channels === 6) {
    w[3] = 0;
    w[4] = 1.41;
    w[5] = 1.41;
  } else if (channels === 5) {
    w[3] = 1.41;
    w[4] = 1.41;
  }
  return w;
}
