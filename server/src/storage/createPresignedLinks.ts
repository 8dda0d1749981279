import type { ObjectStore } from './ObjectStore.ts';
import type { StorageLinks } from './StorageLinks.ts';

/**
 * Links for a real S3 endpoint: presigned URLs straight to S3 (the bucket's CORS rule lets
 * the app's public origin use them). Part URLs sign their exact length in.
 */
export function createPresignedLinks(store: ObjectStore): StorageLinks {
  return {
    kind: 's3',
    read: (key, { ttlSeconds, fileName, contentType }) =>
      store.presignGet(key, ttlSeconds, { ...(fileName !== undefined ? { fileName } : {}), ...(contentType !== undefined ? { contentType } : {}) }),
    writePart: (key, s3UploadId, partNumber, byteLength, ttlSeconds) => store.presignUploadPart(key, s3UploadId, partNumber, byteLength, ttlSeconds),
  };
}
