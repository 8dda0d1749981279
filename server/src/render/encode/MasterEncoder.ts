/**
 * One output format's encoder, fed the float master block by block. Returned byte arrays
 * are owned by the caller (copies), written to the sink in order.
 */
export interface MasterEncoder {
  /** Encodes one planar block. */
  encode(block: readonly Float32Array[], frames: number): Uint8Array[];
  /** Flushes the tail. */
  finish(): Uint8Array[];
  /**
   * Header bytes known only at the end (FLAC's MD5 and frame sizes), written over the
   * already-written file at `offset` before it is hashed. Empty for formats that need none.
   */
  headerPatches(): { offset: number; bytes: Uint8Array }[];
  /** Frees wasm memory; safe to call twice and after a failure. */
  dispose(): void;
}

export interface MasterEncoderOptions {
  sampleRate: number;
  channels: number;
  /** Exact length of the master, known from the plan before the first block. */
  totalFrames: number;
  /** Largest block the bake will feed (sizes scratch buffers once). */
  maxBlockFrames: number;
  /** Dither seed (deterministic by default). */
  ditherSeed?: number;
  /**
   * PCM formats: the quantiser (default: a TpdfQuantizer of the encoder's own, `ditherSeed`).
   * WAV 24 and FLAC in one thread share one ({@link SharedQuantizer}): the same integers.
   */
  quantize?: Quantize;
  /**
   * PCM formats: called with each block's quantised samples (interleaved, exactly the
   * integers written), so the file can be measured as a decoder will read it.
   */
  onQuantized?: (ints: Int32Array, frames: number) => void;
}

/** Float planar block -> dithered integers, interleaved, in `out`. */
export type Quantize = (block: readonly Float32Array[], frames: number, out: Int32Array) => void;
