// AssemblyScript, part of stripChain.wasm: the twin of shared/src/dsp/deterministicExp.ts,
// operation for operation, with the JavaScript module's own tables; dexp2 on two lanes.

import { pair } from './chainLanes.as';

// Tables of deterministicExp (addresses set once by setExpTables).
export let expPow2Int: usize = 0; // 2046 f64: 2^m for m in [-1022, 1023]
export let expPow2Frac: usize = 0; // 64 f64: 2^(j/64)

/** The tables' addresses in the module's memory (StripChainMemory.ts copies them from the JavaScript module). */
export function setExpTables(pow2Int: usize, pow2Frac: usize): void {
  expPow2Int = pow2Int;
  expPow2Frac = pow2Frac;
}

export const SHIFTER: f64 = 6755399441055744;
export const INV_LN2_64: f64 = 64 / 0.6931471805599453;
export const LN2_64_HI: f64 = 6.9314718036912381649e-1 / 64;
export const LN2_64_LO: f64 = 1.90821492927058770002e-10 / 64;
export const LN_MAX_DOUBLE: f64 = 709.782712893384;
export const LN_HALF_MIN_SUBNORMAL: f64 = -745.1332191019412;

/** shared/dsp deterministicExp, operation for operation. */
export function dexp(y: f64): f64 {
  if (!(y >= -708 && y <= 708)) {
    if (y != y) return NaN;
    if (y > LN_MAX_DOUBLE) return Infinity;
    if (y < LN_HALF_MIN_SUBNORMAL) return 0;
    const h = dexp(y * 0.5);
    return h * h;
  }
  const qd = y * INV_LN2_64 + SHIFTER - SHIFTER;
  const r = y - qd * LN2_64_HI - qd * LN2_64_LO;
  const q = <i32>qd;
  const s = load<f64>(expPow2Int + (<usize>((q >> 6) + 1022) << 3)) * load<f64>(expPow2Frac + (<usize>(q & 63) << 3));
  const r2 = r * r;
  const e = r + r2 * (0.5 + r * (1.0 / 6.0) + r2 * (1.0 / 24.0 + r * (1.0 / 120.0)));
  return s + s * e;
}

/** `dexp` on both lanes: the same operations per lane (tables read per lane). */
export function dexp2(y: v128): v128 {
  const y0 = f64x2.extract_lane(y, 0);
  const y1 = f64x2.extract_lane(y, 1);
  if (!(y0 >= -708 && y0 <= 708 && y1 >= -708 && y1 <= 708)) {
    return f64x2.replace_lane(f64x2.splat(dexp(y0)), 1, dexp(y1));
  }
  const shifter = f64x2.splat(SHIFTER);
  const qd = f64x2.sub(f64x2.add(f64x2.mul(y, f64x2.splat(INV_LN2_64)), shifter), shifter);
  const r = f64x2.sub(f64x2.sub(y, f64x2.mul(qd, f64x2.splat(LN2_64_HI))), f64x2.mul(qd, f64x2.splat(LN2_64_LO)));
  const q0 = <i32>f64x2.extract_lane(qd, 0);
  const q1 = <i32>f64x2.extract_lane(qd, 1);
  const s = f64x2.mul(
    pair(load<f64>(expPow2Int + (<usize>((q0 >> 6) + 1022) << 3)), load<f64>(expPow2Int + (<usize>((q1 >> 6) + 1022) << 3))),
    pair(load<f64>(expPow2Frac + (<usize>(q0 & 63) << 3)), load<f64>(expPow2Frac + (<usize>(q1 & 63) << 3))),
  );
  const r2 = f64x2.mul(r, r);
  // r + r2 * (0.5 + r * SIXTH + r2 * (C24 + r * C120))
  const inner = f64x2.add(f64x2.splat(1.0 / 24.0), f64x2.mul(r, f64x2.splat(1.0 / 120.0)));
  const outer = f64x2.add(f64x2.add(f64x2.splat(0.5), f64x2.mul(r, f64x2.splat(1.0 / 6.0))), f64x2.mul(r2, inner));
  const e = f64x2.add(r, f64x2.mul(r2, outer));
  return f64x2.add(s, f64x2.mul(s, e));
}
