import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { MIN_SECRET_BYTES } from './TokenSigner.ts';

/**
 * The HMAC key for invites and sessions. A configured secret (hex or base64, at least 32
 * bytes) wins; otherwise the embedded default keeps a random one in the data folder so
 * sessions and invite links survive a restart. Several server nodes must share one
 * configured secret.
 */
export async function loadAuthSecret(configured: string | null, secretFile: string): Promise<Uint8Array> {
  if (configured !== null) {
    const bytes = /^[0-9a-fA-F]+$/.test(configured) ? Buffer.from(configured, 'hex') : Buffer.from(configured, 'base64');
    if (bytes.byteLength < MIN_SECRET_BYTES) throw new Error(`AUTH_SECRET must encode at least ${MIN_SECRET_BYTES} bytes`);
    return bytes;
  }
  try {
    const stored = Buffer.from((await readFile(secretFile, 'utf8')).trim(), 'hex');
    if (stored.byteLength >= MIN_SECRET_BYTES) return stored;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const fresh = randomBytes(MIN_SECRET_BYTES);
  await mkdir(dirname(secretFile), { recursive: true });
  await writeFile(secretFile, fresh.toString('hex') + '\n', { mode: 0o600 });
  return fresh;
}
