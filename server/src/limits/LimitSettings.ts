import { z } from 'zod';

/** Actions with a per-user and a per-IP rate limit. */
export const RATE_ACTIONS = ['createRoom', 'join', 'uploadStart', 'bake', 'comment'] as const;
export type RateAction = (typeof RATE_ACTIONS)[number];

/** `points` actions per `windowMs`. */
export interface Rate {
  readonly points: number;
  readonly windowMs: number;
}

/** Abuse limits, parsed once at boot (see {@link parseLimitSettings}). */
export interface LimitSettings {
  readonly rates: Readonly<Record<RateAction, { readonly perUser: Rate; readonly perIp: Rate }>>;
  /** Open sync sockets one user may hold at once (each tab holds two: mix and review). */
  readonly maxSocketsPerUser: number;
  /** Bakes waiting in the whole process, and waiting or running per room. */
  readonly maxQueuedBakes: number;
  readonly maxQueuedBakesPerRoom: number;
  /**
   * How many reverse proxies in front of the server append to `X-Forwarded-For`; the client
   * IP is the entry the outermost of them saw. 0 (default): the socket's peer address, and the
   * header is ignored (anyone could send one).
   */
  readonly trustProxyHops: number;
  /**
   * Largest a room's document (mix or review) may grow, bytes as a Yjs update: a client update
   * that would take it past this is refused with 4413 (see `Room.admits`). Default 64 MiB:
   * 20x a measured 4-hour session with automation (3.0 MB), room for 48 tracks with three
   * full 4096-point lanes each (~40 MB).
   */
  readonly maxRoomBytes: number;
}

/** The environment variable of each action, and its default `per user,per IP`. */
export const RATE_VARIABLES: Readonly<Record<RateAction, { name: string; fallback: string }>> = {
  createRoom: { name: 'RATE_ROOMS', fallback: '20/1h,60/1h' },
  join: { name: 'RATE_JOINS', fallback: '30/1h,120/1h' },
  uploadStart: { name: 'RATE_UPLOADS', fallback: '200/1h,600/1h' },
  bake: { name: 'RATE_BAKES', fallback: '30/1h,90/1h' },
  /** Comments, replies and comment edits: per user in one room, and per IP over all rooms. */
  comment: { name: 'RATE_COMMENTS', fallback: '30/1m,300/1m' },
};

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000 } as const;
const RATE = /^(\d+)\/(\d*)([smh])$/;

function parseRate(text: string, variable: string): Rate {
  const match = RATE.exec(text.trim());
  const points = Number(match?.[1]);
  const windowMs = Number(match?.[2] || 1) * UNIT_MS[(match?.[3] ?? 's') as keyof typeof UNIT_MS];
  if (!match || points < 1 || windowMs < 1000) throw new Error(`${variable}: "${text}" is not a rate like 20/1h (count/window, window in s, m or h)`);
  return { points, windowMs };
}

const count = (fallback: number, min: number) => z.coerce.number().int().min(min).default(fallback);
const schema = z.object({
  MAX_SOCKETS_PER_USER: count(16, 2),
  MAX_QUEUED_BAKES: count(24, 1),
  MAX_QUEUED_BAKES_PER_ROOM: count(4, 1),
  TRUST_PROXY: count(0, 0),
  MAX_ROOM_BYTES: count(64 * 2 ** 20, 64 * 1024),
});

/** Parses the RATE_* / MAX_* limit variables and TRUST_PROXY; throws a readable error. */
export function parseLimitSettings(env: Readonly<Record<string, string | undefined>>): LimitSettings {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) throw new Error(`Invalid limit configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const rates = Object.fromEntries(
    Object.entries(RATE_VARIABLES).map(([action, { name, fallback }]) => {
      const parts = (present[name] ?? fallback).split(',');
      if (parts.length !== 2) throw new Error(`${name}: expected two rates, per user and per IP, like ${fallback}`);
      return [action, { perUser: parseRate(parts[0]!, name), perIp: parseRate(parts[1]!, name) }];
    }),
  ) as unknown as LimitSettings['rates'];
  const e = parsed.data;
  return {
    rates,
    maxSocketsPerUser: e.MAX_SOCKETS_PER_USER,
    maxQueuedBakes: e.MAX_QUEUED_BAKES,
    maxQueuedBakesPerRoom: e.MAX_QUEUED_BAKES_PER_ROOM,
    trustProxyHops: e.TRUST_PROXY,
    maxRoomBytes: e.MAX_ROOM_BYTES,
  };
}
