import type { LimiterSteadyState } from '@mixroom/shared/dsp';
import { LIMITER_CHUNK } from './masterBusLayout.ts';
import { MASTER_BUS_IO_FRAMES, MasterBusMemory } from './MasterBusMemory.ts';

/**
 * shared/dsp's LimiterProcessor on WebAssembly SIMD for the bake: the same samples bit for
 * bit (see shared/src/dsp/limiter.as.ts), started from a limiter at rest (its
 * {@link LimiterSteadyState}) and with fixed parameters, which is how the bake runs a plan's
 * limiter node. Mono input is limited as the JavaScript does (one channel, both lanes).
 */
export class WasmLimiter {
  readonly latencyFrames: number;
  private readonly mem = new MasterBusMemory();
  private readonly ioL: number;
  private readonly ioR: number;
  private readonly peaks: number;

  constructor(state: LimiterSteadyState) {
    const { lookahead: L, detectDelay: D, latencyFrames: lat, detectorTapsPerPhase: K, detectorCoefficients: taps } = state;
    // The BS.1770 sums reach 21 frames back (masterBus.ts): the history must hold them.
    if (lat < 1 || D > K - 1 || K < 22 || taps.length !== 3 * K) throw new RangeError('WasmLimiter: unsupported limiter geometry');
    this.latencyFrames = lat;
    const m = this.mem;
    const coef = m.alloc(taps.length * 16);
    const lin = m.alloc((K - 1 + LIMITER_CHUNK) * 16);
    const peaks = m.alloc(LIMITER_CHUNK * 16);
    this.peaks = peaks;
    const audio = m.alloc(lat * 16);
    const suffixMin = m.alloc((L + 1) * 8);
    const blockReq = m.alloc(L * 8);
    const held = m.alloc(L * 8);
    this.ioL = m.alloc(MASTER_BUS_IO_FRAMES * 4);
    this.ioR = m.alloc(MASTER_BUS_IO_FRAMES * 4);
    // Each tap in both lanes of a v128.
    const f64 = m.f64;
    for (let i = 0; i < taps.length; i++) f64[(coef >> 3) + 2 * i] = f64[(coef >> 3) + 2 * i + 1] = taps[i]!;
    m.exports.initLimiter(coef, K, D, L, lat, state.ceiling, state.clampAt, state.releaseCoef, lin, peaks, audio, suffixMin, blockReq, held);
  }

  /** Gain reduction (dB, >= 0) applied to the last output sample, as LimiterProcessor.gainReductionDb. */
  get gainReductionDb(): number {
    return -20 * Math.log10(this.mem.exports.limiterGain());
  }

  /**
   * The detector's true-peak estimates for the last frames processed (its last pass of at
   * most 256 frames), left and right interleaved: what TruePeakDetector.peaks gives for them.
   */
  lastDetectorPeaks(): Float64Array {
    const n = this.mem.exports.limiterLastChunk();
    return this.mem.f64.slice(this.peaks >> 3, (this.peaks >> 3) + 2 * n);
  }

  /** LimiterProcessor.process: the first input/output channel is left, the second (if both have one) right. */
  process(inputs: readonly Float32Array[], outputs: readonly Float32Array[], frames: number): void {
    const stereo = inputs.length > 1 && outputs.length > 1;
    const in0 = inputs[0]!;
    const in1 = stereo ? inputs[1]! : in0;
    const out0 = outputs[0]!;
    const out1 = stereo ? outputs[1]! : out0;
    const { exports } = this.mem;
    for (let off = 0; off < frames; off += MASTER_BUS_IO_FRAMES) {
      const n = Math.min(MASTER_BUS_IO_FRAMES, frames - off);
      const f32 = this.mem.f32;
      const l = this.ioL >> 2;
      const r = this.ioR >> 2;
      f32.set(in0.subarray(off, off + n), l);
      if (stereo) f32.set(in1.subarray(off, off + n), r);
      exports.limit(this.ioL, this.ioR, this.ioL, this.ioR, n, stereo ? 1 : 0);
      out0.set(f32.subarray(l, l + n), off);
      if (stereo) out1.set(f32.subarray(r, r + n), off);
    }
  }
}
