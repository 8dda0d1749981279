import { CreateBucketCommand, HeadBucketCommand, PutBucketCorsCommand, type BucketLocationConstraint, type S3Client } from '@aws-sdk/client-s3';

/**
 * Creates the bucket when missing and, given `allowedOrigins`, sets the CORS rules the
 * browser needs to use a real S3 bucket directly: PUT of parts from the app's origins with
 * the ETag readable (CompleteMultipartUpload needs every part's ETag), and GET/HEAD with
 * Range for playback. `null` sets no rule (the embedded store: browsers never reach it).
 *
 * Resolves with whether CORS was set: some S3-compatible stores (older MinIO) have no
 * per-bucket CORS API and answer NotImplemented; they apply their own server-wide CORS
 * setting instead, which must then allow the app's origin (see README).
 */
export async function ensureBucket(
  s3: S3Client,
  bucket: string,
  allowedOrigins: readonly string[] | null,
  region = 'us-east-1',
): Promise<{ created: boolean; corsConfigured: boolean }> {
  let created = false;
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status !== 404 && (error as Error).name !== 'NotFound' && (error as Error).name !== 'NoSuchBucket') throw error;
    // AWS wants the region spelled out everywhere but us-east-1; R2 uses the pseudo-region "auto".
    const outsideDefault = region !== 'us-east-1' && region !== 'auto';
    await s3.send(
      new CreateBucketCommand({
        Bucket: bucket,
        ...(outsideDefault ? { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } } : {}),
      }),
    );
    created = true;
  }
  if (allowedOrigins === null) return { created, corsConfigured: true };
  try {
    await s3.send(
      new PutBucketCorsCommand({
        Bucket: bucket,
        CORSConfiguration: {
          CORSRules: [
            {
              AllowedOrigins: [...allowedOrigins],
              AllowedMethods: ['GET', 'HEAD', 'PUT'],
              AllowedHeaders: ['*'],
              ExposeHeaders: ['ETag', 'Content-Length', 'Content-Range', 'Accept-Ranges'],
              MaxAgeSeconds: 3600,
            },
          ],
        },
      }),
    );
    return { created, corsConfigured: true };
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'NotImplemented' || name === 'NotImplementedError') return { created, corsConfigured: false };
    throw error;
  }
}
