import { z } from 'zod';

/** Auth configuration, parsed once at boot (see {@link parseAuthSettings}). */
export interface AuthSettings {
  /** HMAC secret for invites and sessions (hex or base64, >= 32 bytes); null = generated and kept in the data folder. */
  secret: string | null;
  /**
   * Rooms anyone may join without an invite, picking a non-owner role (default `demo`, so the
   * README's `/room/demo` works on a fresh install). `OPEN_ROOMS=` (empty) closes them all.
   */
  openRooms: string[];
  /** Mark the session cookie `Secure`; null: automatic (Secure when the public URL is https). */
  secureCookies: boolean | null;
}

const schema = z.object({
  AUTH_SECRET: z.string().min(1).optional(),
  OPEN_ROOMS: z.string().default('demo'),
  SECURE_COOKIES: z.enum(['true', 'false', '1', '0']).optional(),
});

export function parseAuthSettings(env: Readonly<Record<string, string | undefined>>): AuthSettings {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([k, v]) => k !== 'OPEN_ROOMS' ? v !== undefined && v !== '' : v !== undefined)));
  if (!parsed.success) throw new Error(`Invalid auth configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const e = parsed.data;
  return {
    secret: e.AUTH_SECRET ?? null,
    openRooms: e.OPEN_ROOMS.split(',').map((s) => s.trim()).filter(Boolean),
    secureCookies: e.SECURE_COOKIES === undefined ? null : e.SECURE_COOKIES === 'true' || e.SECURE_COOKIES === '1',
  };
}
