// AssemblyScript (compiled to server/src/render/simd/masterBus.wasm by `pnpm --filter
// @mixroom/server build:wasm`): the bake's master-bus limiter and true-peak meter on
// WebAssembly SIMD, for the main thread of the bake.
//
// Both are transcriptions of shared/src/dsp (LimiterProcessor + TruePeakDetector, and
// TruePeakMeter): the same float64 operations on the same operands in the same order
// (WebAssembly has no fused multiply-add and no fast-math), so the results are bit-identical;
// tests null them against the JavaScript. Choices the JavaScript makes by comparison
// (`b > a ? b : a`) are f64x2.pmax / pmin, which are defined as exactly that comparison.
// One step is computed differently: the limiter's sliding minimum (a minimum is exact, so any
// correct algorithm yields the same double; see `limit`).
//
// One instance runs one limiter or one set of meters: the state lives in globals and in
// buffers the caller carves out of linear memory (addresses from heapBase() upward).

export { initLimiter, limit, limiterGain, limiterLastChunk } from './limiter.as';
export { truePeak } from './TruePeakMeter.as';
export { tpdfQuantize } from './TpdfQuantizer.as';
// The aux buses' reverb (bake main thread), in its own file.
export { reverbProcess } from './reverb.as';

export function heapBase(): usize {
  return __heap_base;
}

