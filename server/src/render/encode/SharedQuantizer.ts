import { BakeError } from '../BakeError.ts';
import type { Quantize } from './MasterEncoder.ts';
import { TpdfQuantizer } from './TpdfQuantizer.ts';

/**
 * One TPDF quantiser read by every encoder of one bit depth in a thread (WAV 24 and FLAC):
 * with the same seed and the same blocks each would compute the very same integers, so block
 * k is quantised once and each reader gets a copy. Readers must be fed every block in order,
 * as their own quantiser would be; one that gets ahead or behind is refused.
 */
export class SharedQuantizer {
  private readonly quantizer: TpdfQuantizer;
  private readonly ints: Int32Array;
  private produced = 0;
  private frames = 0;

  constructor(bits: number, channels: number, maxBlockFrames: number, seed?: number) {
    this.quantizer = new TpdfQuantizer(bits, seed);
    this.ints = new Int32Array(channels * maxBlockFrames);
  }

  /** A quantiser for one more encoder. */
  reader(): Quantize {
    let taken = 0;
    return (block, frames, out) => {
      if (taken === this.produced) {
        this.quantizer.quantize(block, frames, this.ints);
        this.frames = frames;
        this.produced++;
      } else if (taken !== this.produced - 1 || frames !== this.frames) {
        throw new BakeError('encoder', 'Encoders sharing a quantiser were fed different blocks.');
      }
      taken++;
      out.set(this.ints.subarray(0, frames * block.length));
    };
  }
}

/** The shared quantisers of one thread, by bit depth. */
export class SharedQuantizers {
  private readonly byBits = new Map<number, SharedQuantizer>();

  reader(bits: number, channels: number, maxBlockFrames: number): Quantize {
    let q = this.byBits.get(bits);
    if (!q) this.byBits.set(bits, (q = new SharedQuantizer(bits, channels, maxBlockFrames)));
    return q.reader();
  }
}
