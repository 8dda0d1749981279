import type { S3Client } from '@aws-sdk/client-s3';
import type { Metrics } from './Metrics.ts';

/**
 * Counts every S3 request that fails after the SDK's own retries, by operation and error
 * name. A missing object (404 on a HEAD or GET) is an answer, not an outage, and is not counted.
 */
export function countS3Errors(s3: S3Client, metrics: Pick<Metrics, 's3Errors'>): void {
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        const name = error instanceof Error ? error.name : 'Error';
        if (status !== 404 && name !== 'NoSuchKey' && name !== 'NotFound' && name !== 'AbortError') {
          metrics.s3Errors.inc({ operation: context.commandName ?? 'unknown', code: name });
        }
        throw error;
      }
    },
    { step: 'initialize', name: 'mixroomCountErrors', override: true },
  );
}
