/**
 * The bytes of a tiny WebAssembly module: the bake's bus summing loops with 128-bit SIMD.
 * Written out by hand (no toolchain at build time); its text form is (add4 is add's loop
 * with out = (((a + s1) + s2) + s3) + s4, each f32x4.add rounding like a scalar float32 add):
 *
 *   (module
 *     (import "env" "mem" (memory 0 65536 shared))
 *     (func (export "add") (param $out i32) (param $a i32) (param $b i32) (param $n i32)
 *       ;; out[i] = a[i] + b[i] over $n float32s; $n is a multiple of 4, pointers are bytes
 *       (block (loop
 *         (br_if 1 (i32.eqz (local.get $n)))
 *         (v128.store align=4 (local.get $out)
 *           (f32x4.add (v128.load align=4 (local.get $a)) (v128.load align=4 (local.get $b))))
 *         (local.set $out (i32.add (local.get $out) (i32.const 16)))
 *         (local.set $a (i32.add (local.get $a) (i32.const 16)))
 *         (local.set $b (i32.add (local.get $b) (i32.const 16)))
 *         (local.set $n (i32.sub (local.get $n) (i32.const 4)))
 *         (br 0)))))
 */
export function simdAddWasm(): Uint8Array<ArrayBuffer> {
  const memarg = [2, 0]; // align 2^2, offset 0
  const get = (i: number): number[] => [0x20, i];
  const bump = (i: number, by: number, op: number): number[] => [...get(i), 0x41, by, op, 0x21, i];
  const body = [
    0x00, // no locals
    0x02, 0x40, 0x03, 0x40, // block, loop
    ...get(3), 0x45, 0x0d, 1, // br_if 1 (n == 0)
    ...get(0), ...get(1), 0xfd, 0x00, ...memarg, ...get(2), 0xfd, 0x00, ...memarg, 0xfd, 0xe4, 0x01, 0xfd, 0x0b, ...memarg,
    ...bump(0, 16, 0x6a), ...bump(1, 16, 0x6a), ...bump(2, 16, 0x6a), ...bump(3, 4, 0x6b),
    0x0c, 0, 0x0b, 0x0b, 0x0b, // br 0, end loop, end block, end func
  ];
  // add4(out, a, s1, s2, s3, s4, n): out = (((a + s1) + s2) + s3) + s4, rounded per add.
  const load = (i: number): number[] => [...get(i), 0xfd, 0x00, ...memarg];
  const f32add = [0xfd, 0xe4, 0x01];
  const body4 = [
    0x00,
    0x02, 0x40, 0x03, 0x40,
    ...get(6), 0x45, 0x0d, 1,
    ...get(0), ...load(1), ...load(2), ...f32add, ...load(3), ...f32add, ...load(4), ...f32add, ...load(5), ...f32add, 0xfd, 0x0b, ...memarg,
    ...bump(0, 16, 0x6a), ...bump(1, 16, 0x6a), ...bump(2, 16, 0x6a), ...bump(3, 16, 0x6a), ...bump(4, 16, 0x6a), ...bump(5, 16, 0x6a), ...bump(6, 4, 0x6b),
    0x0c, 0, 0x0b, 0x0b, 0x0b,
  ];
  const name = (s: string): number[] => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
  const section = (id: number, content: number[]): number[] => [id, ...leb(content.length), ...content];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, // \0asm, version 1
    ...section(1, [2, 0x60, 4, 0x7f, 0x7f, 0x7f, 0x7f, 0, 0x60, 7, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0]), // types: add, add4
    ...section(2, [1, ...name('env'), ...name('mem'), 0x02, 0x03, 0, ...leb(65536)]), // shared memory import
    ...section(3, [2, 0, 1]),
    ...section(7, [2, ...name('add'), 0x00, 0, ...name('add4'), 0x00, 1]),
    ...section(10, [2, ...leb(body.length), ...body, ...leb(body4.length), ...body4]),
  ]);
}

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}
