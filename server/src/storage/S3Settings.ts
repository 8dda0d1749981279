import { z } from 'zod';

/**
 * Where stems and every other durable object live. Parsed once at boot from the
 * environment (see {@link parseS3Settings}); never read at import time.
 */
export interface S3Settings {
  /** Start the loopback-only S3-compatible store (s3rver) inside the process. */
  embedded: boolean;
  /** Data folder of the embedded store. */
  dataDir: string;
  /** Port of the embedded store on 127.0.0.1 (0 = any free port). */
  embeddedPort: number;
  /** Endpoint URL of an external S3 API (AWS, MinIO, R2); ignored when embedded. */
  endpoint: string | undefined;
  region: string;
  bucket: string;
  /** Real S3's key pair; unused when embedded (that store has its own, see `loadStoreCredentials`). */
  accessKeyId: string;
  secretAccessKey: string;
  /** Path-style URLs (MinIO, s3rver); AWS and R2 also accept them. */
  forcePathStyle: boolean;
  /** Largest stem file accepted, in bytes. */
  maxStemBytes: number;
  /** Longest stem accepted, in seconds of audio. */
  maxStemSeconds: number;
}

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((v) => (v === undefined ? fallback : v === 'true' || v === '1'));

const schema = z.object({
  S3_EMBEDDED: bool(true),
  S3_DATA_DIR: z.string().default('./.data/s3'),
  S3_EMBEDDED_PORT: z.coerce.number().int().min(0).max(65535).default(4569),
  S3_ENDPOINT: z.url().optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'S3_BUCKET must be a valid bucket name').default('mixroom'),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_FORCE_PATH_STYLE: bool(true),
  MAX_STEM_BYTES: z.coerce.number().int().positive().default(1024 * 1024 * 1024),
  MAX_STEM_SECONDS: z.coerce.number().positive().default(20 * 60),
});

/** Parses the S3_* / MAX_STEM_* variables; throws a readable error on bad values. */
export function parseS3Settings(env: Record<string, string | undefined>): S3Settings {
  // Empty strings count as unset (`S3_ENDPOINT= pnpm start`), as in the server config.
  const r = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')));
  if (!r.success) {
    throw new Error(`Invalid S3 configuration: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const e = r.data;
  // The embedded store makes its own per-install key pair; real stores need real ones.
  if (!e.S3_EMBEDDED && (!e.S3_ACCESS_KEY_ID || !e.S3_SECRET_ACCESS_KEY)) {
    throw new Error('Invalid S3 configuration: S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY are required when S3_EMBEDDED=false');
  }
  return {
    embedded: e.S3_EMBEDDED,
    dataDir: e.S3_DATA_DIR,
    embeddedPort: e.S3_EMBEDDED_PORT,
    endpoint: e.S3_ENDPOINT,
    region: e.S3_REGION,
    bucket: e.S3_BUCKET,
    accessKeyId: e.S3_ACCESS_KEY_ID ?? '',
    secretAccessKey: e.S3_SECRET_ACCESS_KEY ?? '',
    forcePathStyle: e.S3_FORCE_PATH_STYLE,
    maxStemBytes: e.MAX_STEM_BYTES,
    maxStemSeconds: e.MAX_STEM_SECONDS,
  };
}
