import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** An S3 access key pair. */
export interface StoreCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/**
 * The embedded store's key pair: random per install and kept in `file` (mode 0600), like
 * the auth secret, so the store's public default key (S3RVER/S3RVER) opens nothing and
 * the pair survives restarts. The file sits in the store's data folder; s3rver lists only
 * folders as buckets, so it never shows up as one.
 */
export async function loadStoreCredentials(file: string): Promise<StoreCredentials> {
  try {
    const stored = JSON.parse(await readFile(file, 'utf8')) as Partial<StoreCredentials>;
    if (isKeyId(stored.accessKeyId) && isSecret(stored.secretAccessKey)) {
      return { accessKeyId: stored.accessKeyId, secretAccessKey: stored.secretAccessKey };
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && !(error instanceof SyntaxError)) throw error;
  }
  const fresh = randomStoreCredentials();
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(fresh) + '\n', { mode: 0o600 });
  return fresh;
}

const isKeyId = (v: unknown): v is string => typeof v === 'string' && /^[A-Z0-9]{16,128}$/.test(v);
const isSecret = (v: unknown): v is string => typeof v === 'string' && v.length >= 32;

/** A fresh random pair, AWS-shaped: a 20-character key id and a 40-character secret. */
export function randomStoreCredentials(): StoreCredentials {
  return { accessKeyId: `MIXR${randomBytes(8).toString('hex').toUpperCase()}`, secretAccessKey: randomBytes(30).toString('base64url') };
}
