import { readFileSync } from 'node:fs';
import { DETERMINISTIC_EXP_TABLES, DETERMINISTIC_LOG_TABLES } from '@mixroom/shared/dsp';

/** The exports of stripChain.wasm (built from server/assembly/stripChain.ts). */
interface StripChainExports {
  memory: WebAssembly.Memory;
  runChain(prog: number, inL: number, inR: number, outL: number, outR: number, frames: number): void;
  setMathTables(pow2NegK: number, center: number, invCenter: number, logCenter: number, pow2Int: number, pow2Frac: number, compressorScratch: number): void;
}

let compiled: WebAssembly.Module | null = null;
/** The compressor group's work buffers: 256 levels and targets (f64) and 256 indices (u32). */
const COMPRESSOR_SCRATCH_BYTES = 256 * 8 * 2 + 256 * 4;

/** Compiled once per thread: the bake's workers each instantiate their own memory. */
function stripChainModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(readFileSync(new URL('./stripChain.wasm', import.meta.url)));
  return compiled;
}

/**
 * One instance of the SIMD strip-chain module and its linear memory, shared by every
 * chain of one runtime (one per bake worker). Chains carve their programs and block
 * buffers out of it with a bump allocator at construction; nothing is freed (a runtime
 * lives for one bake). Typed-array views are re-made when the memory grew, since growing
 * detaches the old ArrayBuffer.
 */
export class StripChainMemory {
  private readonly exports: StripChainExports;
  private top = 1024; // keep address 0 unused: a null pointer never aliases a buffer
  private buffer: ArrayBuffer;
  private f32view: Float32Array;
  private f64view: Float64Array;
  private i32view: Int32Array;

  constructor() {
    const instance = new WebAssembly.Instance(stripChainModule(), { env: { abort: wasmAbort } });
    this.exports = instance.exports as unknown as StripChainExports;
    this.buffer = this.exports.memory.buffer;
    this.f32view = new Float32Array(this.buffer);
    this.f64view = new Float64Array(this.buffer);
    this.i32view = new Int32Array(this.buffer);
    // The compressor's deterministicLog/Exp tables, copied from the JavaScript modules so
    // the transcription computes the same doubles.
    const table = (values: Float64Array): number => {
      const at = this.alloc(values.length * 8);
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
      this.alloc(COMPRESSOR_SCRATCH_BYTES),
    );
  }

  /** Reserves `bytes` (16-byte aligned) and returns the address. */
  alloc(bytes: number): number {
    const at = this.top;
    this.top = (at + bytes + 15) & ~15;
    const need = this.top - this.exports.memory.buffer.byteLength;
    if (need > 0) this.exports.memory.grow(Math.ceil(need / 65536));
    return at;
  }

  get f32(): Float32Array {
    this.refresh();
    return this.f32view;
  }

  get f64(): Float64Array {
    this.refresh();
    return this.f64view;
  }

  get i32(): Int32Array {
    this.refresh();
    return this.i32view;
  }

  run(prog: number, inL: number, inR: number, outL: number, outR: number, frames: number): void {
    this.exports.runChain(prog, inL, inR, outL, outR, frames);
  }

  private refresh(): void {
    if (this.buffer === this.exports.memory.buffer) return;
    this.buffer = this.exports.memory.buffer;
    this.f32view = new Float32Array(this.buffer);
    this.f64view = new Float64Array(this.buffer);
    this.i32view = new Int32Array(this.buffer);
  }
}

/** AssemblyScript's abort import; the module is built with --noAssert, so only a trap ends here. */
function wasmAbort(): never {
  throw new Error('stripChain.wasm aborted');
}
