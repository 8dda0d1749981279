// AssemblyScript, part of stripChain.wasm: the twin of shared/src/dsp/deterministicLog.ts,
// operation for operation, with the JavaScript module's own tables; dlog2 on two lanes.

import { pair } from './chainLanes.as';

// Tables of deterministicLog / deterministicExp (addresses set once by setMathTables).
export let logPow2NegK: usize = 0; // 2047 f64: 2^-k for k in [-1022, 1024]
export let logCenter: usize = 0; // 128 f64
export let logInvCenter: usize = 0; // 128 f64
export let logOfCenter: usize = 0; // 128 f64

/** The tables' addresses in the module's memory (StripChainMemory.ts copies them from the JavaScript module). */
export function setLogTables(pow2NegK: usize, center: usize, invCenter: usize, logC: usize): void {
  logPow2NegK = pow2NegK;
  logCenter = center;
  logInvCenter = invCenter;
  logOfCenter = logC;
}

export const LOG_OFF: i32 = 0x3fe61000;
export const MIN_NORMAL: f64 = 2.2250738585072014e-308;
export const MAX_DOUBLE: f64 = 1.7976931348623157e308;
export const TWO_54: f64 = 18014398509481984;
export const LN2: f64 = 0.6931471805599453;

/** shared/dsp deterministicLog, operation for operation. */
export function dlog(x: f64): f64 {
  if (!(x >= MIN_NORMAL && x <= MAX_DOUBLE)) {
    if (x > 0 && x < MIN_NORMAL) return dlog(x * TWO_54) - 54 * LN2;
    if (x == 0) return -Infinity;
    if (x == Infinity) return Infinity;
    return NaN;
  }
  const tmp = <i32>(reinterpret<i64>(x) >>> 32) - LOG_OFF;
  const k = tmp >> 20;
  const i = <usize>((tmp >> 13) & 127) << 3;
  const z = x * load<f64>(logPow2NegK + (<usize>(k + 1022) << 3));
  const r = (z - load<f64>(logCenter + i)) * load<f64>(logInvCenter + i);
  const r2 = r * r;
  const p = r + r2 * (-0.5 + r * (1.0 / 3.0) + r2 * (-0.25 + r * (1.0 / 5.0) + r2 * -(1.0 / 6.0)));
  return <f64>k * LN2 + load<f64>(logOfCenter + i) + p;
}

/** `dlog` on both lanes: the same operations per lane (tables read per lane). */
export function dlog2(x: v128): v128 {
  const x0 = f64x2.extract_lane(x, 0);
  const x1 = f64x2.extract_lane(x, 1);
  if (!(x0 >= MIN_NORMAL && x0 <= MAX_DOUBLE && x1 >= MIN_NORMAL && x1 <= MAX_DOUBLE)) return pair(dlog(x0), dlog(x1));
  const t0 = <i32>(reinterpret<i64>(x0) >>> 32) - LOG_OFF;
  const t1 = <i32>(reinterpret<i64>(x1) >>> 32) - LOG_OFF;
  const k0 = t0 >> 20;
  const k1 = t1 >> 20;
  const i0 = <usize>((t0 >> 13) & 127) << 3;
  const i1 = <usize>((t1 >> 13) & 127) << 3;
  const z = f64x2.mul(x, pair(load<f64>(logPow2NegK + (<usize>(k0 + 1022) << 3)), load<f64>(logPow2NegK + (<usize>(k1 + 1022) << 3))));
  const r = f64x2.mul(f64x2.sub(z, pair(load<f64>(logCenter + i0), load<f64>(logCenter + i1))), pair(load<f64>(logInvCenter + i0), load<f64>(logInvCenter + i1)));
  const r2 = f64x2.mul(r, r);
  // r + r2 * (-0.5 + r * (1/3) + r2 * (-0.25 + r * (1/5) + r2 * -(1/6)))
  const inner = f64x2.add(f64x2.add(f64x2.splat(-0.25), f64x2.mul(r, f64x2.splat(1.0 / 5.0))), f64x2.mul(r2, f64x2.splat(-(1.0 / 6.0))));
  const mid = f64x2.add(f64x2.add(f64x2.splat(-0.5), f64x2.mul(r, f64x2.splat(1.0 / 3.0))), f64x2.mul(r2, inner));
  const poly = f64x2.add(r, f64x2.mul(r2, mid));
  return f64x2.add(f64x2.add(f64x2.mul(pair(<f64>k0, <f64>k1), f64x2.splat(LN2)), pair(load<f64>(logOfCenter + i0), load<f64>(logOfCenter + i1))), poly);
}
