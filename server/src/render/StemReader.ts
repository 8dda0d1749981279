import type { StemStream } from './StemSource.ts';

/**
 * Re-blocks a stem's stream (blocks of whatever size the decoder produced) into exactly the
 * bake's block size. After the stem's last frame it reads silence: a stem shorter than the
 * song is normal; a stem shorter than its own header is an error the stream itself throws.
 */
export class StemReader {
  private readonly iterator: AsyncIterator<Float32Array[]>;
  private current: Float32Array[] | null = null;
  private position = 0;
  private ended = false;

  constructor(readonly stream: StemStream) {
    this.iterator = stream.blocks[Symbol.asyncIterator]();
  }

  /** Fills `frames` frames of each channel view in `dst`. */
  async read(dst: readonly Float32Array[], frames: number): Promise<void> {
    let filled = 0;
    while (filled < frames) {
      if (this.current === null || this.position >= this.current[0]!.length) {
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
      const take = Math.min(frames - filled, this.current[0]!.length - this.position);
      for (let c = 0; c < dst.length; c++) {
        const src = this.current[c] ?? this.current[0]!;
        dst[c]!.set(src.subarray(this.position, this.position + take), filled);
      }
      this.position += take;
      filled += take;
    }
    if (filled < frames) for (const d of dst) d.fill(0, filled, frames);
  }

  async close(): Promise<void> {
    await this.iterator.return?.();
    await this.stream.close();
  }
}
