import { z } from 'zod';
import { ROLES } from '@mixroom/shared/protocol';

/**
 * The IPC messages between the primary and its sync shards (`SYNC_SHARDS` > 1). Every message
 * is parsed on arrival: a malformed one is logged and dropped, never acted on. Bytes travel as
 * Uint8Array (the channel uses Node's `advanced` serialization).
 */
const MAX_ID = 2 ** 31;
const id = z.number().int().min(0).max(MAX_ID);
const docId = z.string().min(1).max(200);
/** Room docs and updates are bounded by MAX_ROOM_BYTES upstream; this only stops garbage. */
const bytes = z.custom<Uint8Array>((b) => b instanceof Uint8Array && b.byteLength <= 1024 * 1024 * 1024, 'bytes (at most 1 GiB)');
const role = z.enum(ROLES);

/** A request one side makes of the other; answered by a `reply` with the same id. */
export const SHARD_OPS = {
  /** Primary -> shard: the room doc's state the primary's mirror lacks (see SyncShards.withRoom); refused when `grows` bytes do not fit. */
  state: z.object({ docId, stateVector: bytes, grows: z.number().int().min(0).optional() }),
  /** Primary -> shard: a server write to a room doc; answered once durable and relayed. */
  apply: z.object({ docId, update: bytes, actor: z.string().min(1).max(100) }),
  /** Primary -> shard: every change so far durable, sockets closed (1001), rooms unloaded; then the shard exits. */
  close: z.object({}),
  /** Shard -> primary: the role the socket's identity holds now (null = revoked). */
  recheck: z.object({ socketId: id }),
  /** Shard -> primary: the title a brand-new room was created with (auth store). */
  roomTitle: z.object({ roomId: docId }),
} as const;
export type ShardOp = keyof typeof SHARD_OPS;
export type ShardOpBody<Op extends ShardOp> = z.infer<(typeof SHARD_OPS)[Op]>;

/** What each op answers with. */
export const SHARD_RESULTS = {
  state: z.object({ update: bytes }),
  apply: z.null(),
  close: z.null(),
  recheck: role.nullable(),
  roomTitle: z.string().max(1000).nullable(),
} as const satisfies Record<ShardOp, z.ZodType>;
export type ShardResult<Op extends ShardOp> = z.infer<(typeof SHARD_RESULTS)[Op]>;

const request = z.object({ t: z.literal('request'), id, op: z.enum(Object.keys(SHARD_OPS) as [ShardOp, ...ShardOp[]]), body: z.unknown() });
const reply = z.object({
  t: z.literal('reply'),
  id,
  ok: z.boolean(),
  /** The op's result (see SHARD_RESULTS), when ok. */
  value: z.unknown().optional(),
  error: z.string().max(10_000).optional(),
  /** Set when the write was refused for the room's size limit (RoomFullError). */
  roomFullBytes: z.number().int().min(0).optional(),
});

/** Primary -> shard. */
export const TO_SHARD = z.discriminatedUnion('t', [
  /** First message: the environment the shard parses its settings from, and which shard it is. */
  z.object({
    t: z.literal('init'),
    env: z.record(z.string(), z.string()),
    index: z.number().int().min(0).max(1023),
    count: z.number().int().min(2).max(1024),
  }),
  /**
   * An upgrade request the primary authorised, with the socket as the message's handle. The
   * shard completes the WebSocket handshake and runs the connection as the given identity.
   */
  z.object({
    t: z.literal('socket'),
    socketId: id,
    url: z.string().max(8192),
    method: z.string().max(16),
    headers: z.record(z.string(), z.union([z.string().max(16_384), z.array(z.string().max(16_384)).max(100)])),
    head: bytes,
    identity: z.object({ userId: z.string().min(1).max(200), name: z.string().max(200), role, recheckable: z.boolean() }),
  }),
  /** Access changed somewhere: recheck every open socket (see RoomRegistry.recheckPeers). */
  z.object({ t: z.literal('recheckPeers') }),
  request,
  reply,
]);
export type ToShard = z.infer<typeof TO_SHARD>;

/** Shard -> primary. */
export const FROM_SHARD = z.discriminatedUnion('t', [
  /** Its write-ahead log is replayed and it takes sockets. */
  z.object({ t: z.literal('ready') }),
  /** A handed-over socket closed (its user's socket slot is free again). */
  z.object({ t: z.literal('socketClosed'), socketId: id }),
  /** Once a second: gauges and the relay/wake observations since the last report (metrics). */
  z.object({
    t: z.literal('stats'),
    rooms: z.number().int().min(0),
    hibernating: z.number().int().min(0),
    sockets: z.number().int().min(0),
    relaySeconds: z.array(z.number()).max(100_000),
    wakeSeconds: z.array(z.number()).max(100_000),
  }),
  request,
  reply,
]);
export type FromShard = z.infer<typeof FROM_SHARD>;
export type ShardRequest = z.infer<typeof request>;
export type ShardReply = z.infer<typeof reply>;
