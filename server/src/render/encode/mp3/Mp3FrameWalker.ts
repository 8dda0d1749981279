import { BakeError } from '../../BakeError.ts';

/** MPEG-1 Layer III bitrates (kbit/s) by header index; 0 = free format, 15 = bad. */
const BITRATES = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, -1] as const;
const SAMPLE_RATES = [44100, 48000, 32000, -1] as const;

/**
 * Follows the frame headers of an MPEG-1 Layer III stream as it is produced, in chunks cut
 * anywhere: counts the frames and keeps the first header, which the LAME tag frame copies.
 * Anything that is not a chain of frames (the encoder going wrong) is a typed error, not a
 * tag that would lie about the file.
 */
export class Mp3FrameWalker {
  /** Audio frames seen. */
  frames = 0;
  /** Bytes seen. */
  bytes = 0;
  /** The first frame's 4 header bytes, once seen. */
  firstHeader: Uint8Array | null = null;
  /** Bytes left in the current frame (0: the next byte starts a header). */
  private left = 0;
  private readonly header = new Uint8Array(4);
  private have = 0;

  push(chunk: Uint8Array): void {
    let i = 0;
    this.bytes += chunk.length;
    while (i < chunk.length) {
      if (this.left > 0) {
        const skip = Math.min(this.left, chunk.length - i);
        this.left -= skip;
        i += skip;
        continue;
      }
      this.header[this.have++] = chunk[i++]!;
      if (this.have < 4) continue;
      this.have = 0;
      const length = frameLength(this.header);
      if (length === null) {
        throw new BakeError('encoder', `The MP3 encoder wrote a byte that is no frame header at byte ${this.bytes - chunk.length + i - 4}.`);
      }
      this.firstHeader ??= this.header.slice();
      this.frames++;
      this.left = length - 4;
    }
  }

  /** True when the stream ended on a frame boundary. */
  get complete(): boolean {
    return this.left === 0 && this.have === 0;
  }
}

/** Bytes of the MPEG-1 Layer III frame this header starts, or null when it is not one. */
export function frameLength(h: Uint8Array): number | null {
  // Sync (11 bits), MPEG-1 (11), Layer III (01).
  if (h[0] !== 0xff || (h[1]! & 0xfe) !== 0xfa) return null;
  const kbps = BITRATES[h[2]! >> 4]!;
  const rate = SAMPLE_RATES[(h[2]! >> 2) & 3]!;
  if (kbps <= 0 || rate < 0) return null;
  return Math.floor((144_000 * kbps) / rate) + ((h[2]! >> 1) & 1);
}
