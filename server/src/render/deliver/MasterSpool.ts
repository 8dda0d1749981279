import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * The float master kept on disk (interleaved float32) while it streams past, so an encoder
 * can go over it again: the MP3 is encoded once more at a lower gain when its decoded true
 * peak came out above the ceiling. 8 bytes a stereo frame (92 MB for 4 minutes at 48 kHz);
 * memory stays at one block.
 */
export class MasterSpool {
  private frames = 0;
  private scratch: Float32Array;
  private spare: Float32Array | null = null;

  private constructor(
    private readonly dir: string,
    private handle: FileHandle | null,
    private readonly channels: number,
    private readonly maxBlockFrames: number,
  ) {
    this.scratch = new Float32Array(maxBlockFrames * channels);
  }

  static async create(channels: number, maxBlockFrames: number, tmpRoot = os.tmpdir()): Promise<MasterSpool> {
    const dir = await mkdtemp(path.join(tmpRoot, 'mixroom-spool-'));
    try {
      return new MasterSpool(dir, await open(path.join(dir, 'master.f32'), 'w+'), channels, maxBlockFrames);
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
  }

  /** Appends a block; copies it before the first await, so the caller may reuse it at once. */
  append(block: readonly Float32Array[], frames: number): Promise<void> {
    const n = this.channels;
    // The buffer of the last finished write is reused (a new one only while one is in flight):
    // one 128 KB array a block was 92 MB of garbage for a 4-minute song.
    const inter = this.spare ?? new Float32Array(this.maxBlockFrames * n);
    this.spare = null;
    for (let c = 0; c < n; c++) {
      const ch = block[c]!;
      for (let i = 0, j = c; i < frames; i++, j += n) inter[j] = ch[i]!;
    }
    const at = this.frames * n * 4;
    this.frames += frames;
    return this.requireOpen()
      .write(new Uint8Array(inter.buffer, 0, frames * n * 4), 0, frames * n * 4, at)
      .then(() => void (this.spare = inter));
  }

  /** The spooled master again, in planar blocks of up to maxBlockFrames (each valid until the next). */
  async *read(): AsyncGenerator<{ channels: Float32Array[]; frames: number }> {
    const n = this.channels;
    const planar = Array.from({ length: n }, () => new Float32Array(this.maxBlockFrames));
    const bytes = new Uint8Array(this.scratch.buffer);
    for (let at = 0; at < this.frames; at += this.maxBlockFrames) {
      const frames = Math.min(this.maxBlockFrames, this.frames - at);
      const want = frames * n * 4;
      let got = 0;
      while (got < want) {
        const { bytesRead } = await this.requireOpen().read(bytes, got, want - got, at * n * 4 + got);
        if (bytesRead === 0) throw new Error('The spooled master ended early.');
        got += bytesRead;
      }
      for (let c = 0; c < n; c++) {
        const out = planar[c]!;
        for (let i = 0, j = c; i < frames; i++, j += n) out[i] = this.scratch[j]!;
      }
      yield { channels: planar, frames };
    }
  }

  async discard(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    await handle?.close().catch(() => {});
    await rm(this.dir, { recursive: true, force: true });
  }

  private requireOpen(): FileHandle {
    if (!this.handle) throw new Error('MasterSpool is discarded');
    return this.handle;
  }
}
