import { z } from 'zod';
import { MP3_ENCODER_SETTINGS, type Mp3EncoderSetting } from '../render/encode/Mp3Encoder.ts';
import { FLAC_ENCODER_SETTINGS, type FlacEncoderSetting } from '../render/encode/FlacEncoder.ts';
import { NATIVE_CODEC_SETTINGS, type NativeCodecSetting } from '../render/encode/nativeCodecChoice.ts';

/**
 * Server configuration, parsed once at boot from the environment (see `parseConfig`). Nothing
 * else reads `process.env`. Durations are milliseconds, sizes bytes.
 */
const envInt = (fallback: number, min: number) =>
  z.coerce.number().int().min(min).default(fallback);

export const CONFIG_SCHEMA = z.object({
  PORT: envInt(8787, 0).pipe(z.number().max(65535)),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./.data'),
  /** Folder with the built client (`client/dist`); served at `/` when it exists. */
  CLIENT_DIST_DIR: z.string().min(1).optional(),
  /** Largest sync message the server accepts (4413 above it). */
  MAX_MESSAGE_BYTES: envInt(8 * 1024 * 1024, 1024),
  /** A room with no connection for this long is compacted and unloaded from memory. */
  ROOM_IDLE_UNLOAD_MS: envInt(30_000, 0),
  /**
   * A loaded room whose mix saw no change for this long drops its Y.Doc while its sockets stay
   * (it answers joiners from its stored state and wakes on the next edit, which then waits
   * about a room load); 0 = never.
   */
  ROOM_HIBERNATE_MS: envInt(300_000, 0),
  /** When a room's update log grows past this size, it is compacted into its snapshot. */
  COMPACT_LOG_BYTES: envInt(1024 * 1024, 1),
  /** WebSocket ping interval; a socket that misses a pong for a whole interval is dropped. */
  PING_INTERVAL_MS: envInt(30_000, 100),
  /** A client whose unsent buffer exceeds this is disconnected (slow consumer). */
  MAX_SOCKET_BUFFER_BYTES: envInt(64 * 1024 * 1024, 1024),
  /**
   * permessage-deflate on sync sockets (browsers offer it): frames of 1 KiB and more, such as a
   * joiner's first sync, go compressed; `off` sends everything as is.
   */
  SYNC_DEFLATE: z.enum(['on', 'off']).default('on'),
  /**
   * `on`: on a busy node a sync socket written less than a few ms ago waits, so the frames of
   * several event loop turns share one write (server/src/sync/WritePacer); `off` (default)
   * writes every turn. Off until a quiet `pnpm bench sync` shows it moves the knee.
   */
  SYNC_WRITE_PACING: z.enum(['on', 'off']).default('off'),
  /**
   * `on` (default): small sync frames are framed once per room and written straight to the TCP
   * socket while `ws` has nothing queued for it (server/src/sync/SocketOutbox); `off`: every
   * frame goes through `ws.send`.
   */
  SYNC_DIRECT_FRAMES: z.enum(['on', 'off']).default('on'),
  /**
   * Sync shard processes: 1 runs every room in this process; N > 1 forks N processes, each
   * owning the rooms whose id hashes to it (plain HTTP only; not with MIXROOM_MODE=cluster).
   */
  SYNC_SHARDS: envInt(1, 1).pipe(z.number().max(64)),
  /** Largest HTTP request body on any route without a larger limit of its own (413 above it). */
  MAX_BODY_BYTES: envInt(64 * 1024, 1024),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /**
   * The address people use to reach the app (`https://mix.example.com`): the only source of
   * absolute URLs (invite and download links), never the Host header. An origin: no path.
   */
  PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .refine((v) => {
      const u = URL.canParse(v) ? new URL(v) : null;
      return u !== null && u.pathname === '/' && !u.search && !u.hash && !u.username && !u.password;
    }, 'PUBLIC_URL must be an http(s) origin such as https://mix.example.com (no path, query or credentials)')
    .optional(),
  /** PEM certificate chain and key for built-in HTTPS (both or neither). */
  TLS_CERT_FILE: z.string().min(1).optional(),
  TLS_KEY_FILE: z.string().min(1).optional(),
  /** On SIGTERM, how long a node stays up not-ready (new sockets refused) so the load balancer moves off it. */
  DRAIN_DELAY_MS: envInt(0, 0),
  /** Which LAME encodes a version's MP3: `native` (Debian's `lame` 3.100), `wasm` (built in), `auto` (native when installed). */
  MP3_ENCODER: z.enum(MP3_ENCODER_SETTINGS).default('auto'),
  /** Which libFLAC encodes a version's FLAC: `native` (Debian's `flac` 1.4), `wasm` (built in), `auto` (native when installed). */
  FLAC_ENCODER: z.enum(FLAC_ENCODER_SETTINGS).default('auto'),
  /** Which mpg123 decodes a version's MP3 for its meter: `native` (Debian's `mpg123`), `wasm` (built in), `auto` (native when installed). */
  MP3_METER_DECODER: z.enum(NATIVE_CODEC_SETTINGS).default('auto'),
  /** Bearer token of `GET /metrics`; unset = no metrics route. */
  METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional(),
});

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly clientDistDir: string | null;
  readonly maxMessageBytes: number;
  readonly roomIdleUnloadMs: number;
  /** 0 = rooms never hibernate. */
  readonly roomHibernateMs: number;
  readonly compactLogBytes: number;
  readonly pingIntervalMs: number;
  readonly maxSocketBufferBytes: number;
  /** permessage-deflate on sync sockets for frames of 1 KiB and more. */
  readonly syncDeflate: boolean;
  /** Sync socket writes paced by event loop load (see WritePacer); false = written every turn. */
  readonly syncWritePacing: boolean;
  /** Small sync frames framed here and written straight to the socket (see SocketOutbox); false = all through `ws.send`. */
  readonly syncDirectFrames: boolean;
  /** Sync shard processes (1 = rooms run in this process). */
  readonly syncShards: number;
  readonly maxBodyBytes: number;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** PUBLIC_URL as an origin (`https://mix.example.com`, no trailing slash); null: local mode, http(s)://localhost:PORT. */
  readonly publicUrl: string | null;
  /** Built-in HTTPS: PEM files, or null to serve plain HTTP (local use, or behind a proxy). */
  readonly tls: { readonly certFile: string; readonly keyFile: string } | null;
  readonly drainDelayMs: number;
  /** Null: `/metrics` is not served. */
  readonly metricsToken: string | null;
  /** Which LAME encodes the MP3 of a version. */
  readonly mp3Encoder: Mp3EncoderSetting;
  /** Which libFLAC encodes the FLAC of a version. */
  readonly flacEncoder: FlacEncoderSetting;
  /** Which mpg123 decodes the MP3 of a version for its meter. */
  readonly mp3MeterDecoder: NativeCodecSetting;
}

/** Thrown at boot when an environment variable is invalid; lists every problem at once. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Parses and validates the environment into a {@link Config}. Unknown variables are ignored;
 * empty strings count as unset so `PORT= pnpm start` falls back to the default.
 */
export function parseConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = CONFIG_SCHEMA.refine((e) => (e.TLS_CERT_FILE === undefined) === (e.TLS_KEY_FILE === undefined), {
    message: 'TLS_CERT_FILE and TLS_KEY_FILE go together',
    path: ['TLS_CERT_FILE'],
  }).safeParse(cleaned);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid server configuration: ${problems}`);
  }
  const e = result.data;
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    clientDistDir: e.CLIENT_DIST_DIR ?? null,
    maxMessageBytes: e.MAX_MESSAGE_BYTES,
    roomIdleUnloadMs: e.ROOM_IDLE_UNLOAD_MS,
    roomHibernateMs: e.ROOM_HIBERNATE_MS,
    compactLogBytes: e.COMPACT_LOG_BYTES,
    pingIntervalMs: e.PING_INTERVAL_MS,
    maxSocketBufferBytes: e.MAX_SOCKET_BUFFER_BYTES,
    syncDeflate: e.SYNC_DEFLATE === 'on',
    syncWritePacing: e.SYNC_WRITE_PACING === 'on',
    syncDirectFrames: e.SYNC_DIRECT_FRAMES === 'on',
    syncShards: e.SYNC_SHARDS,
    maxBodyBytes: e.MAX_BODY_BYTES,
    logLevel: e.LOG_LEVEL,
    publicUrl: e.PUBLIC_URL === undefined ? null : new URL(e.PUBLIC_URL).origin,
    tls: e.TLS_CERT_FILE !== undefined && e.TLS_KEY_FILE !== undefined ? { certFile: e.TLS_CERT_FILE, keyFile: e.TLS_KEY_FILE } : null,
    drainDelayMs: e.DRAIN_DELAY_MS,
    metricsToken: e.METRICS_TOKEN ?? null,
    mp3Encoder: e.MP3_ENCODER,
    flacEncoder: e.FLAC_ENCODER,
    mp3MeterDecoder: e.MP3_METER_DECODER,
  });
}
