import { z } from 'zod';

/** POST /api/rooms/:room/stems/uploads: start a multipart upload of one file. */
export const initiateUploadBody = z.object({ fileName: z.string().min(1).max(1024), size: z.number().int().min(0) });

/** POST .../stems/uploads/:uploadId/parts: fresh URLs for some parts (expired, or a resumed upload). */
export const partUrlsBody = z.object({ partNumbers: z.array(z.number().int().min(1)).min(1).max(10_000) });

/** POST .../stems/uploads/:uploadId/complete: every part with the ETag its PUT answered. */
export const completeUploadBody = z.object({
  parts: z.array(z.object({ partNumber: z.number().int().min(1), etag: z.string().min(1).max(200) })).min(1).max(10_000),
});
