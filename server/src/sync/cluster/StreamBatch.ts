import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/**
 * One stream entry holds the updates a node made durable together (a group commit): a varUint
 * count, then each update as a varUint8Array. One entry per batch keeps Redis work per commit,
 * not per update.
 */
export function encodeStreamBatch(updates: readonly Uint8Array[]): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, updates.length);
  for (const u of updates) encoding.writeVarUint8Array(e, u);
  return encoding.toUint8Array(e);
}

/** Throws on anything that is not exactly an encoded batch. */
export function decodeStreamBatch(bytes: Uint8Array): Uint8Array[] {
  const d = decoding.createDecoder(bytes);
  const count = decoding.readVarUint(d);
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) out.push(decoding.readVarUint8Array(d));
  if (decoding.hasContent(d)) throw new Error('trailing bytes after a stream batch');
  return out;
}

/** A Redis stream id `ms-seq`, comparable. */
export interface StreamId {
  readonly ms: bigint;
  readonly seq: bigint;
}

export function parseStreamId(id: string): StreamId {
  const m = /^(\d+)-(\d+)$/.exec(id);
  if (!m) throw new Error(`not a stream id: ${id}`);
  return { ms: BigInt(m[1]!), seq: BigInt(m[2]!) };
}

export function compareStreamIds(a: string, b: string): number {
  const x = parseStreamId(a);
  const y = parseStreamId(b);
  if (x.ms !== y.ms) return x.ms < y.ms ? -1 : 1;
  if (x.seq !== y.seq) return x.seq < y.seq ? -1 : 1;
  return 0;
}

/** The smallest id after `id` (what `XTRIM MINID` needs to drop `id` itself and keep the rest). */
export function nextStreamId(id: string): string {
  const { ms, seq } = parseStreamId(id);
  return `${ms}-${seq + 1n}`;
}

/** Fixed-width form, so S3 keys named after stream ids sort in stream order. */
export function sortableStreamId(id: string): string {
  const { ms, seq } = parseStreamId(id);
  return `${ms.toString().padStart(16, '0')}-${seq.toString().padStart(8, '0')}`;
}

export function streamIdFromSortable(s: string): string {
  const m = /^(\d{16})-(\d{8})$/.exec(s);
  if (!m) throw new Error(`not a sortable stream id: ${s}`);
  return `${BigInt(m[1]!)}-${BigInt(m[2]!)}`;
}
