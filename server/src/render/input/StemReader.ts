import type { StemStream } from './StemSource.ts';

/**
 * Re-blocks a stem's sample data (chunks of whatever size the file or S3 delivered) into
 * exactly the bake's block size, still encoded: the worker that runs the track decodes it.
 * After the stem's last frame there is nothing more to read: a stem shorter than the song
 * is normal (the worker plays silence); a stem shorter than its own header is an error the
 * stream itself throws.
 */
export class StemReader {
  private readonly iterator: AsyncIterator<Uint8Array>;
  private current: Uint8Array | null = null;
  private position = 0;
  private ended = false;
  readonly bytesPerFrame: number;

  constructor(readonly stream: StemStream) {
    this.iterator = stream.data[Symbol.asyncIterator]();
    this.bytesPerFrame = stream.bytesPerFrame;
  }

  /** Copies up to `frames` frames of encoded data into `dst`; resolves with the frames copied (fewer only at the stem's end). */
  async read(dst: Uint8Array, frames: number): Promise<number> {
    const want = frames * this.bytesPerFrame;
    let filled = 0;
    while (filled < want) {
      if (this.current === null || this.position >= this.current.length) {
        if (this.ended) break;
        const next = await this.iterator.next();
        if (next.done) {
          this.ended = true;
          break;
        }
        this.current = next.value;
        this.position = 0;
        continue;
      }
      const take = Math.min(want - filled, this.current.length - this.position);
      dst.set(this.current.subarray(this.position, this.position + take), filled);
      this.position += take;
      filled += take;
    }
    return Math.floor(filled / this.bytesPerFrame);
  }

  async close(): Promise<void> {
    await this.iterator.return?.();
    await this.stream.close();
  }
}
