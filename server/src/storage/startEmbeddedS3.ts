import { createServer, type Server } from 'node:http';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import S3rver from 's3rver';
import AWSAccount from 's3rver/lib/models/account.js';
import { guardStoreRequest } from './guardStoreRequest.ts';
import { randomStoreCredentials, type StoreCredentials } from './loadStoreCredentials.ts';

/** A running embedded S3-compatible store. */
export interface EmbeddedS3 {
  /** http://127.0.0.1:PORT */
  endpoint: string;
  port: number;
  /** The only key pair it accepts. */
  credentials: StoreCredentials;
  region: string;
  /**
   * Deletes the parts of a multipart upload. s3rver does not implement
   * AbortMultipartUpload (it answers 405) and would keep the parts in its data folder for
   * ever; this removes its folder for that upload id, the one thing its API cannot do.
   */
  discardMultipartUpload(bucket: string, s3UploadId: string): Promise<void>;
  close(): Promise<void>;
}

export interface EmbeddedS3Options {
  dataDir: string;
  port: number;
  /** The per-install key pair (see `loadStoreCredentials`); default: a random one for this run. */
  credentials?: StoreCredentials;
  /** Default us-east-1. */
  region?: string;
  now?: () => number;
  /** Accept presigned URLs as real S3 does (tests of the real-S3 mode use a store that does). */
  acceptPresignedUrls?: boolean;
}

// s3rver hard-codes a public key pair (S3RVER/S3RVER) in a process-wide registry: take it out,
// so nothing signed with it is ever accepted, even by s3rver's own (weak) check.
AWSAccount.DUMMY_ACCOUNT.revokeAccessKey('S3RVER');
const installAccount = new AWSAccount(100000000001, 'Mixroom');

/**
 * Starts s3rver on 127.0.0.1 with its objects in `dataDir`, behind a guard.
 *
 * s3rver 3.7.1 does not verify SigV4 signatures at all ("Signature version 4 calculation is
 * unimplemented") and serves anonymous requests, HTML form posts included. So s3rver never
 * listens itself: our own loopback HTTP server runs `guardStoreRequest` first (a valid
 * header signature with the per-install key, a fresh date, nothing from a browser) and only
 * then hands the request to s3rver. Browsers never talk to it: the app proxies objects.
 */
export async function startEmbeddedS3(options: EmbeddedS3Options): Promise<EmbeddedS3> {
  await mkdir(options.dataDir, { recursive: true });
  const credentials = options.credentials ?? randomStoreCredentials();
  const region = options.region ?? 'us-east-1';
  installAccount.createKeyPair(credentials.accessKeyId, credentials.secretAccessKey);
  const s3rver = new S3rver({ directory: options.dataDir, silent: true });
  const handle = s3rver.callback();
  const now = options.now ?? Date.now;
  const server: Server = createServer((req, res) => {
    guardStoreRequest(req, { credentials, region, now, presigned: options.acceptPresignedUrls ?? false }).then(
      (verdict) => {
        if (verdict.ok) return handle(req, res);
        // The body is never read: close the connection rather than drain a large upload.
        res.writeHead(403, {
          'content-type': 'application/xml',
          'x-content-type-options': 'nosniff',
          'content-security-policy': "sandbox; default-src 'none'; frame-ancestors 'none'",
          connection: 'close',
        });
        res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${verdict.code}</Code><Message>${escapeXml(verdict.message)}</Message></Error>`);
      },
      () => {
        res.writeHead(500, { connection: 'close' });
        res.end();
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    credentials,
    region,
    discardMultipartUpload: async (bucket, s3UploadId) => {
      // s3rver's upload ids are hex; anything else is not ours to delete.
      if (!/^[0-9a-f]{16,64}$/.test(s3UploadId) || !/^[a-z0-9.-]+$/.test(bucket)) return;
      await rm(join(options.dataDir, bucket, '._S3rver_uploads', s3UploadId), { recursive: true, force: true });
    },
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      s3rver.logger.close();
    },
  };
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
