import { z } from 'zod';
import { createTokenSigner } from '../auth/TokenSigner.ts';

/**
 * What an app-proxied object link grants, signed with the install's secret (purpose
 * `object-link`, so it never passes as a session or an invite): one method on one object key
 * until `exp`; a part upload also names its S3 upload, part number and exact byte length.
 */
export const objectLinkSchema = z.discriminatedUnion('m', [
  z.object({
    m: z.literal('GET'),
    k: z.string().min(1).max(1024),
    exp: z.number().int(),
    /** Attachment file name. */
    f: z.string().max(255).optional(),
    /** Content type to serve. */
    t: z.string().max(100).optional(),
  }),
  z.object({
    m: z.literal('PUT'),
    k: z.string().min(1).max(1024),
    exp: z.number().int(),
    u: z.string().min(1).max(1024),
    p: z.number().int().min(1).max(10_000),
    n: z.number().int().min(0),
  }),
]);

export type ObjectLink = z.infer<typeof objectLinkSchema>;

export interface ObjectLinkSigner {
  sign(link: ObjectLink): string;
  /** The link when the token is authentic and unexpired, else why not. */
  verify(token: string): { ok: true; link: ObjectLink } | { ok: false; reason: 'invalid' | 'expired' };
}

export function createObjectLinkSigner(secret: Uint8Array, now: () => number): ObjectLinkSigner {
  const signer = createTokenSigner(secret, 'object-link');
  return {
    sign: (link) => signer.sign(link),
    verify(token) {
      const parsed = objectLinkSchema.safeParse(signer.verify(token));
      if (!parsed.success) return { ok: false, reason: 'invalid' };
      if (parsed.data.exp <= now()) return { ok: false, reason: 'expired' };
      return { ok: true, link: parsed.data };
    },
  };
}
