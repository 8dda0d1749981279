/** What survives a page reload of one unfinished upload. */
export interface ResumeRecord {
  uploadId: string;
  partSize: number;
  partCount: number;
  /** ETag of every part S3 already acknowledged, by part number. */
  etags: Record<number, string>;
  savedAt: number;
}

/** The identity of a local file across reloads: no path is exposed to pages, so name + size + mtime. */
export interface FileIdentity {
  name: string;
  size: number;
  lastModified?: number;
}

const PREFIX = 'mixroom.upload.';
/** S3 URLs and server upload ids outlive this anyway only if the server kept the upload. */
const MAX_AGE_MS = 7 * 24 * 3600 * 1000;

/**
 * Upload state in localStorage, so that dropping the same file again after a reload (or a
 * crash) sends only the parts S3 has not acknowledged yet.
 */
export class ResumeStore {
  constructor(private readonly storage: Storage | null = globalThis.localStorage ?? null) {}

  private key(room: string, file: FileIdentity): string {
    return `${PREFIX}${room}:${file.name}:${file.size}:${file.lastModified ?? 0}`;
  }

  get(room: string, file: FileIdentity): ResumeRecord | null {
    const raw = this.storage?.getItem(this.key(room, file));
    if (!raw) return null;
    try {
      const r = JSON.parse(raw) as ResumeRecord;
      if (Date.now() - r.savedAt > MAX_AGE_MS) {
        this.delete(room, file);
        return null;
      }
      return r;
    } catch {
      this.delete(room, file);
      return null;
    }
  }

  put(room: string, file: FileIdentity, record: Omit<ResumeRecord, 'savedAt'>): void {
    try {
      this.storage?.setItem(this.key(room, file), JSON.stringify({ ...record, savedAt: Date.now() }));
    } catch {
      // Storage full or disabled: the upload still works, it just cannot resume.
    }
  }

  delete(room: string, file: FileIdentity): void {
    this.storage?.removeItem(this.key(room, file));
  }
}
