import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface SealedBakeFile {
  path: string;
  bytes: number;
  /** Hex SHA-256 of the exact bytes a user downloads. */
  sha256: string;
}

/**
 * Encoded bytes go to a temp file as they are produced (memory stays flat), header patches
 * (FLAC's MD5) are applied at the end, and only then is the file handed to storage: the hash
 * always describes the final bytes, and a cancelled bake never reaches S3. The bytes are
 * hashed as they are written; a file that gets header patches is hashed again from disk.
 */
export class BakeFileSink {
  private handle: FileHandle | null = null;
  private dir: string | null = null;
  private filePath = '';
  private written = 0;
  private hash: Hash = createHash('sha256');

  static async create(extension: string, tmpRoot = os.tmpdir()): Promise<BakeFileSink> {
    const sink = new BakeFileSink();
    sink.dir = await mkdtemp(path.join(tmpRoot, 'mixroom-bake-'));
    sink.filePath = path.join(sink.dir, `bake.${extension}`);
    sink.handle = await open(sink.filePath, 'w');
    return sink;
  }

  async write(chunks: readonly Uint8Array[]): Promise<void> {
    const handle = this.requireOpen();
    for (const chunk of chunks) {
      if (chunk.length === 0) continue;
      await handle.write(chunk, 0, chunk.length, this.written);
      this.hash.update(chunk);
      this.written += chunk.length;
    }
  }

  /** Empties the file to write it again from the start (an MP3 encoded again at a lower gain). */
  async restart(): Promise<void> {
    await this.requireOpen().truncate(0);
    this.written = 0;
    this.hash = createHash('sha256');
  }

  /** Applies header patches, closes and hashes the file. */
  async seal(patches: readonly { offset: number; bytes: Uint8Array }[]): Promise<SealedBakeFile> {
    const handle = this.requireOpen();
    for (const p of patches) await handle.write(p.bytes, 0, p.bytes.length, p.offset);
    await handle.close();
    this.handle = null;
    if (patches.length === 0) return { path: this.filePath, bytes: this.written, sha256: this.hash.digest('hex') };
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(this.filePath, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
    return { path: this.filePath, bytes: this.written, sha256: hash.digest('hex') };
  }

  /** Removes the temp folder; safe after seal, after a failure, and twice. */
  async discard(): Promise<void> {
    if (this.handle) await this.handle.close().catch(() => {});
    this.handle = null;
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
    this.dir = null;
  }

  private requireOpen(): FileHandle {
    if (!this.handle) throw new Error('BakeFileSink is closed');
    return this.handle;
  }
}
