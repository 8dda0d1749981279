import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { decodeRecords, encodeRecords } from '../persistence/LogRecord.ts';
import { SNAPSHOT_MAGIC, SnapshotCorruptError } from '../persistence/SnapshotFile.ts';
import { sortableStreamId, streamIdFromSortable } from './StreamBatch.ts';

/** One stored snapshot: the room's whole state up to and including stream entry `coverId`. */
export interface SnapshotRef {
  readonly key: string;
  readonly coverId: string;
}

/**
 * Room snapshots in S3, the cluster's durable home of room state:
 * `sync/<docId>/<sortable coverId>.ydoc`, each framed like the local snapshot file (magic,
 * length, CRC32), so a flipped bit is caught on read. Keys sort in stream order; the compactor
 * keeps the newest two (see RoomCompactor).
 */
export class S3Snapshots {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  /** Newest first. */
  async list(docId: string, signal?: AbortSignal): Promise<SnapshotRef[]> {
    const prefix = `sync/${docId}/`;
    const refs: SnapshotRef[] = [];
    let token: string | undefined;
    do {
      const r = await this.s3.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
        { abortSignal: signal },
      );
      for (const o of r.Contents ?? []) {
        const name = o.Key?.slice(prefix.length).replace(/\.ydoc$/, '');
        if (!o.Key || !name || !/^\d{16}-\d{8}$/.test(name)) continue;
        refs.push({ key: o.Key, coverId: streamIdFromSortable(name) });
      }
      token = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (token);
    return refs.sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : 0));
  }

  /** The snapshot's state; throws SnapshotCorruptError when its frame or checksum is wrong. */
  async read(ref: SnapshotRef, signal?: AbortSignal): Promise<Uint8Array> {
    const r = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: ref.key }), { abortSignal: signal });
    const bytes = await r.Body!.transformToByteArray();
    const header = Buffer.from(bytes.subarray(0, SNAPSHOT_MAGIC.byteLength));
    const { payloads, validBytes } = decodeRecords(bytes, SNAPSHOT_MAGIC.byteLength);
    if (!header.equals(SNAPSHOT_MAGIC) || payloads.length !== 1 || validBytes !== bytes.byteLength) {
      throw new SnapshotCorruptError(`snapshot ${ref.key} is corrupt`);
    }
    return payloads[0]!;
  }

  /** Stores `state` as covering `coverId`, reads it back and compares before resolving. */
  async write(docId: string, coverId: string, state: Uint8Array, signal?: AbortSignal): Promise<SnapshotRef> {
    const ref = { key: `sync/${docId}/${sortableStreamId(coverId)}.ydoc`, coverId };
    const body = Buffer.concat([SNAPSHOT_MAGIC, encodeRecords([state])]);
    await this.s3.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: ref.key, Body: body, ContentType: 'application/octet-stream' }),
      { abortSignal: signal },
    );
    const back = await this.read(ref, signal);
    if (!Buffer.from(back).equals(Buffer.from(state))) throw new SnapshotCorruptError(`snapshot ${ref.key} did not read back as written`);
    return ref;
  }

  /** One request per key: multi-object delete needs checksums some S3-compatible stores reject. */
  async delete(refs: readonly SnapshotRef[], signal?: AbortSignal): Promise<void> {
    await Promise.all(
      refs.map((r) => this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: r.key }), { abortSignal: signal })),
    );
  }
}
