import { readFileSync } from 'node:fs';

/** The exports of masterBus.wasm (built from shared/src/dsp/masterBus.as.ts). */
export interface MasterBusExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  initLimiter(
    coef: number,
    taps: number,
    detectDelay: number,
    lookahead: number,
    latency: number,
    ceiling: number,
    clampAt: number,
    releaseCoef: number,
    lin: number,
    peaks: number,
    audio: number,
    suffixMin: number,
    blockReq: number,
    held: number,
  ): void;
  limit(inL: number, inR: number, outL: number, outR: number, frames: number, stereo: number): void;
  limiterGain(): number;
  limiterLastChunk(): number;
  truePeak(state: number, input: number, frames: number): number;
  tpdfQuantize(state: number, inL: number, inR: number, out: number, frames: number, channels: number, scale: number, max: number, min: number): number;
  reverbProcess(state: number, in0: number, in1: number, out0: number, out1: number, frames: number): void;
}

/** Frames the wrappers hand to the module per call (longer blocks are cut; results do not depend on it). */
export const MASTER_BUS_IO_FRAMES = 8192;

let compiled: WebAssembly.Module | null = null;

/** Compiled once per thread. */
function masterBusModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(readFileSync(new URL('./masterBus.wasm', import.meta.url)));
  return compiled;
}

/**
 * One instance of the master-bus module and its own linear memory (one per limiter or meter:
 * the module keeps a limiter's state in globals). Buffers are carved out with a bump
 * allocator at construction; views are re-made after the memory grew (growing detaches the
 * old ArrayBuffer).
 */
export class MasterBusMemory {
  readonly exports: MasterBusExports;
  private top: number;
  private f32view: Float32Array;
  private f64view: Float64Array;
  private i32view: Int32Array;

  constructor() {
    const instance = new WebAssembly.Instance(masterBusModule(), { env: { abort: wasmAbort } });
    this.exports = instance.exports as unknown as MasterBusExports;
    this.top = (this.exports.heapBase() + 15) & ~15;
    this.f32view = new Float32Array(this.exports.memory.buffer);
    this.f64view = new Float64Array(this.exports.memory.buffer);
    this.i32view = new Int32Array(this.exports.memory.buffer);
  }

  /** Reserves `bytes` (16-byte aligned, zero-filled) and returns the address. */
  alloc(bytes: number): number {
    const at = this.top;
    this.top = (at + bytes + 15) & ~15;
    const need = this.top - this.exports.memory.buffer.byteLength;
    if (need > 0) this.exports.memory.grow(Math.ceil(need / 65536));
    return at;
  }

  get f32(): Float32Array {
    if (this.f32view.buffer !== this.exports.memory.buffer) this.f32view = new Float32Array(this.exports.memory.buffer);
    return this.f32view;
  }

  get i32(): Int32Array {
    if (this.i32view.buffer !== this.exports.memory.buffer) this.i32view = new Int32Array(this.exports.memory.buffer);
    return this.i32view;
  }

  get f64(): Float64Array {
    if (this.f64view.buffer !== this.exports.memory.buffer) this.f64view = new Float64Array(this.exports.memory.buffer);
    return this.f64view;
  }
}

function wasmAbort(): never {
  throw new Error('masterBus.wasm aborted');
}
