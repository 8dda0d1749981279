/** Failure of one part PUT: `status` 0 for network errors. */
export class PartUploadError extends Error {
  override readonly name = 'PartUploadError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * PUTs one part to the URL the server gave for it (an app path, or a presigned S3 URL) with
 * XMLHttpRequest, the only browser API that reports upload progress. Resolves with the ETag
 * (same-origin, or exposed by the bucket's CORS rules).
 */
export function putPart(url: string, body: Blob, onProgress: (loaded: number) => void, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new DOMException('Upload cancelled', 'AbortError'));
    const xhr = new XMLHttpRequest();
    const onAbort = () => xhr.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => signal?.removeEventListener('abort', onAbort);
    xhr.open('PUT', url);
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () => {
      done();
      const etag = xhr.getResponseHeader('ETag');
      if (xhr.status >= 200 && xhr.status < 300 && etag) {
        onProgress(body.size);
        resolve(etag);
      } else if (xhr.status >= 200 && xhr.status < 300) {
        reject(new PartUploadError(xhr.status, 'Storage did not expose the ETag header (check the bucket CORS rules).'));
      } else {
        reject(new PartUploadError(xhr.status, `Storage refused a part (HTTP ${xhr.status}).`));
      }
    };
    xhr.onerror = () => {
      done();
      reject(new PartUploadError(0, 'Network error while sending a part.'));
    };
    xhr.onabort = () => {
      done();
      reject(new DOMException('Upload cancelled', 'AbortError'));
    };
    xhr.send(body);
  });
}
