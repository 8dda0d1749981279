import { formatDuration } from './formatDuration.ts';
import { ApiError } from '../http/ApiError.ts';

/** Frames per block when a stream does not declare its length (~22 s at 48 kHz). */
const BLOCK_FRAMES = 1 << 20;

/**
 * Where a decoder puts its samples, frame by frame, under a budget. A stream that declares
 * its length gets exactly that much memory and may not decode to a frame more; one that does
 * not is kept in blocks up to `maxFrames` (`MAX_STEM_SECONDS × rate`) and refused past it.
 * Decoders call {@link reserve} with what a frame's header promises before decoding it, so
 * a bomb (a 64 KB FLAC of tiny frames, each claiming 65535 samples) stops at the budget
 * instead of expanding into gigabytes. Blocks are joined only for a stream that is accepted,
 * so a refused one never costs more than the budget.
 */
export class DecodeBuffer {
  /** Per block, per channel. A declared length is one block of exactly that size. */
  private readonly blocks: Float32Array[][] = [];
  private length = 0;
  private capacity = 0;

  constructor(
    readonly channels: number,
    private readonly options: {
      /** Frames the header declares; null when it declares none. */
      readonly declaredFrames: number | null;
      readonly maxFrames: number;
      /** First block when the length is not declared but roughly known (an MP3's frame count). */
      readonly initialFrames?: number;
      readonly maxSeconds: number;
      /** "FLAC", "MP3"...: names the file in messages. */
      readonly label: string;
    },
  ) {
    const { declaredFrames, maxFrames } = options;
    this.grow(declaredFrames ?? Math.min(maxFrames, options.initialFrames ?? BLOCK_FRAMES));
  }

  /** Frames stored so far. */
  get frames(): number {
    return this.length;
  }

  /** Makes room for `frames` more frames, or throws when that would pass the declared length or the budget. */
  reserve(frames: number): void {
    const needed = this.length + frames;
    const { declaredFrames, maxFrames, maxSeconds, label } = this.options;
    if (declaredFrames !== null) {
      if (needed > declaredFrames) {
        throw new ApiError('corrupt', `The ${label} file holds more audio than its header declares (${declaredFrames} frames).`);
      }
      return;
    }
    if (needed > maxFrames) {
      throw new ApiError(
        'too-long',
        `The ${label} file does not declare its length and decodes past the limit of ${formatDuration(maxSeconds)}.`,
      );
    }
    if (needed > this.capacity) this.grow(Math.min(maxFrames - this.capacity, Math.max(needed - this.capacity, BLOCK_FRAMES)));
  }

  /** Appends `frames` frames of planar samples (each multiplied by `scale`). */
  push(channelData: readonly Float32Array[], frames: number, scale = 1): void {
    if (frames <= 0) return;
    if (channelData.length !== this.channels) {
      throw new ApiError('corrupt', `The ${this.options.label} file changes its channel count mid-stream.`);
    }
    this.reserve(frames);
    for (let c = 0; c < this.channels; c++) {
      const from = channelData[c]!;
      let done = 0;
      let blockStart = 0;
      for (const block of this.blocks) {
        const to = block[c]!;
        const blockEnd = blockStart + to.length;
        const at = this.length + done;
        if (at < blockEnd) {
          const n = Math.min(frames - done, blockEnd - at);
          const dest = to.subarray(at - blockStart, at - blockStart + n);
          if (scale === 1) dest.set(from.subarray(done, done + n));
          else for (let i = 0; i < n; i++) dest[i] = from[done + i]! * scale;
          done += n;
          if (done === frames) break;
        }
        blockStart = blockEnd;
      }
    }
    this.length += frames;
  }

  /** The samples decoded, exactly `frames` long per channel (joined once when in several blocks). */
  channelData(): Float32Array[] {
    if (this.blocks.length === 1) return this.blocks[0]!.map((c) => c.subarray(0, this.length));
    const out = Array.from({ length: this.channels }, () => new Float32Array(this.length));
    let at = 0;
    for (const block of this.blocks.splice(0)) {
      const n = Math.min(block[0]!.length, this.length - at);
      for (let c = 0; c < this.channels; c++) out[c]!.set(block[c]!.subarray(0, n), at);
      at += n;
    }
    this.blocks.push(out);
    return out;
  }

  private grow(frames: number): void {
    this.blocks.push(Array.from({ length: this.channels }, () => new Float32Array(frames)));
    this.capacity += frames;
  }
}
