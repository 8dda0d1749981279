import { readFileSync } from 'node:fs';
import { DETERMINISTIC_EXP_TABLES, DETERMINISTIC_LOG_TABLES } from '@mixroom/shared/dsp';
import { plainSampleMemory, type SampleMemory } from '../runtime/SampleArena.ts';

/** The exports of stripChain.wasm (built from shared/src/dsp/stripChain.as.ts). */
interface StripChainExports {
  memory: WebAssembly.Memory;
  runChain(prog: number, inL: number, inR: number, outL: number, outR: number, frames: number): void;
  runGate(op: number, keyL: number, keyR: number, inL: number, inR: number, outL: number, outR: number, frames: number): void;
  setMathTables(pow2NegK: number, center: number, invCenter: number, logCenter: number, pow2Int: number, pow2Frac: number, compressorScratch: number): void;
  /** The compressor group's work buffers' size, from the module that lays them out. */
  compressorScratchBytes(): number;
  decodeF32Stereo(src: number, outL: number, outR: number, frames: number): void;
  decodePcm16(src: number, outL: number, outR: number, frames: number, channels: number): void;
  decodePcm24(src: number, outL: number, outR: number, frames: number, channels: number): void;
  addSignals(out: number, a: number, b: number, frames: number): void;
  addSignals4(dst: number, s1: number, s2: number, s3: number, s4: number, frames: number): void;
}

const PAGE = 65536;
/** Default size of the module's memory (tests, benches); the bake worker sizes it from its plan share. */
const DEFAULT_BYTES = 64 * 1024 * 1024;

let compiled: WebAssembly.Module | null = null;

/** Compiled once per thread: the bake's workers each instantiate their own memory. */
function stripChainModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(readFileSync(new URL('./stripChain.wasm', import.meta.url)));
  return compiled;
}

/**
 * One instance of the SIMD strip-chain module and its linear memory, shared by every
 * chain of one runtime (one per bake worker). Chains carve their programs and block
 * buffers out of it with a bump allocator at construction; nothing is freed (a runtime
 * lives for one bake).
 *
 * It is also the runtime's {@link SampleMemory}: buffers it allocates are views of the
 * module's memory, so a chain reading a source or writing an output that lives here passes
 * the address instead of copying the block in and out, and stems decode straight into
 * source buffers. For that the memory has a fixed size and never grows: growing a
 * WebAssembly memory detaches the views already handed out. (A shared memory would not
 * detach, but V8 runs the chains about 7% slower on one.) Untouched pages cost no RAM, so
 * the size is generous; once it is used up `alloc` falls back to plain arrays (correct,
 * copied in and out) and `reserve` fails with a clear error.
 */
export class StripChainMemory implements SampleMemory {
  private readonly exports: StripChainExports;
  private readonly memory: WebAssembly.Memory;
  private readonly capacity: number;
  private top = 1024; // keep address 0 unused: a null pointer never aliases a buffer
  private readonly f32view: Float32Array;
  private readonly f64view: Float64Array;
  private readonly i32view: Int32Array;
  private readonly u8view: Uint8Array;
  /** Addresses of the sample buffers `alloc` handed out. */
  private readonly addresses = new WeakMap<Float32Array, number>();

  /** @param bytes size of the module's memory (rounded up to 64 KiB pages). */
  constructor(bytes = DEFAULT_BYTES) {
    const pages = Math.min(65536, Math.max(2, Math.ceil(bytes / PAGE)));
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    this.capacity = pages * PAGE;
    const instance = new WebAssembly.Instance(stripChainModule(), { env: { memory: this.memory, abort: wasmAbort } });
    this.exports = instance.exports as unknown as StripChainExports;
    const buffer = this.memory.buffer;
    this.f32view = new Float32Array(buffer);
    this.f64view = new Float64Array(buffer);
    this.i32view = new Int32Array(buffer);
    this.u8view = new Uint8Array(buffer);
    // The compressor's deterministicLog/Exp tables, copied from the JavaScript modules so
    // the transcription computes the same doubles.
    const table = (values: Float64Array): number => {
      const at = this.reserve(values.length * 8);
      this.f64.set(values, at >> 3);
      return at;
    };
    const log = DETERMINISTIC_LOG_TABLES;
    const exp = DETERMINISTIC_EXP_TABLES;
    this.exports.setMathTables(
      table(log.pow2NegK),
      table(log.center),
      table(log.invCenter),
      table(log.logCenter),
      table(exp.pow2Int),
      table(exp.pow2Frac),
      this.reserve(this.exports.compressorScratchBytes()),
    );
  }

  /** Reserves `bytes` (16-byte aligned, zeroed) and returns the address. */
  reserve(bytes: number): number {
    const at = this.top;
    const top = (at + bytes + 15) & ~15;
    if (top > this.capacity) {
      throw new Error(`The bake worker's SIMD memory (${this.capacity >> 20} MiB) is too small for this plan share.`);
    }
    this.top = top;
    return at;
  }

  /** A zeroed buffer of `frames` floats in the module's memory (SampleMemory); a plain array once it is full. */
  alloc(frames: number): Float32Array {
    if (this.top + frames * 4 + 15 > this.capacity) return new Float32Array(frames);
    const at = this.reserve(frames * 4);
    const view = new Float32Array(this.memory.buffer, at, frames);
    this.addresses.set(view, at);
    return view;
  }

  /** Where a buffer from `alloc` lives in the module's memory; undefined for any other array. */
  addressOf(view: Float32Array): number | undefined {
    return this.addresses.get(view);
  }

  /** SampleMemory.add: with SIMD when all three buffers live in the module's memory (same sums). */
  add(out: Float32Array, a: Float32Array, b: Float32Array, frames: number): void {
    const o = this.addresses.get(out);
    const x = this.addresses.get(a);
    const y = this.addresses.get(b);
    if (o === undefined || x === undefined || y === undefined) plainSampleMemory.add(out, a, b, frames);
    else this.exports.addSignals(o, x, y, frames);
  }

  /** SampleMemory.accumulate: four sources per SIMD pass where they live in the module's memory. */
  accumulate(dst: Float32Array, srcs: readonly Float32Array[], frames: number): void {
    const d = this.addresses.get(dst);
    let k = 0;
    if (d !== undefined) {
      for (; k + 4 <= srcs.length; k += 4) {
        const s1 = this.addresses.get(srcs[k]!);
        const s2 = this.addresses.get(srcs[k + 1]!);
        const s3 = this.addresses.get(srcs[k + 2]!);
        const s4 = this.addresses.get(srcs[k + 3]!);
        if (s1 === undefined || s2 === undefined || s3 === undefined || s4 === undefined) break;
        this.exports.addSignals4(d, s1, s2, s3, s4, frames);
      }
    }
    for (; k < srcs.length; k++) this.add(dst, dst, srcs[k]!, frames);
  }

  get f32(): Float32Array {
    return this.f32view;
  }

  get f64(): Float64Array {
    return this.f64view;
  }

  get i32(): Int32Array {
    return this.i32view;
  }

  get u8(): Uint8Array {
    return this.u8view;
  }

  run(prog: number, inL: number, inR: number, outL: number, outR: number, frames: number): void {
    this.exports.runChain(prog, inL, inR, outL, outR, frames);
  }

  /** The GATE op at `op` keyed by the buffers at keyL/keyR (keyR == keyL: a mono key). */
  runGate(op: number, keyL: number, keyR: number, inL: number, inR: number, outL: number, outR: number, frames: number): void {
    this.exports.runGate(op, keyL, keyR, inL, inR, outL, outR, frames);
  }

  /** Interleaved float32 stereo at `src` to the planar buffers at outL/outR (see shared/src/dsp/decodeStem.as.ts). */
  decodeF32Stereo(src: number, outL: number, outR: number, frames: number): void {
    this.exports.decodeF32Stereo(src, outL, outR, frames);
  }

  /** 16-bit PCM, 1 or 2 channels (outR ignored for 1). */
  decodePcm16(src: number, outL: number, outR: number, frames: number, channels: 1 | 2): void {
    this.exports.decodePcm16(src, outL, outR, frames, channels);
  }

  /** 24-bit PCM, 1 or 2 channels (outR ignored for 1). */
  decodePcm24(src: number, outL: number, outR: number, frames: number, channels: 1 | 2): void {
    this.exports.decodePcm24(src, outL, outR, frames, channels);
  }
}

/** AssemblyScript's abort import; the module is built with --noAssert, so only a trap ends here. */
function wasmAbort(): never {
  throw new Error('stripChain.wasm aborted');
}
