import { encodeWav } from '../stems/encodeWav.ts';
import type { StemService } from '../stems/StemService.ts';
import { DEMO_SAMPLE_RATE, DEMO_STEM_FILES, synthesizeDemoStems } from './synthesizeDemoStems.ts';

/** Id of the room `pnpm start` offers with the generated multitrack. */
export const DEMO_ROOM_ID = 'demo';

export interface SeedDemoRoomDeps {
  service: StemService;
  /** Names of the tracks already in the room (seeding is idempotent per stem). */
  trackNames: (room: string) => Promise<string[]>;
  room?: string;
  signal?: AbortSignal;
  /** Progress for the log. */
  onStem?: (fileName: string, status: 'uploaded' | 'present') => void;
}

/**
 * Fills the demo room on first start: synthesises the stems, encodes each as 24-bit WAV and
 * sends it through exactly the browser's path (presigned multipart PUTs straight to S3,
 * then completion, validation, analysis and track creation). A stem whose track already
 * exists is skipped, so a restart (or a start interrupted halfway) never duplicates tracks.
 */
export async function seedDemoRoom(deps: SeedDemoRoomDeps): Promise<{ uploaded: string[]; present: string[] }> {
  const room = deps.room ?? DEMO_ROOM_ID;
  const existing = new Set(await deps.trackNames(room));
  const uploaded: string[] = [];
  const present: string[] = [];
  const trackOf = (fileName: string) => fileName.replace(/\.wav$/, '');
  // Restart with everything in place: no synthesis at all.
  if (DEMO_STEM_FILES.every((f) => existing.has(trackOf(f)))) return { uploaded, present: [...DEMO_STEM_FILES] };
  const stems = synthesizeDemoStems();
  for (const stem of stems) {
    deps.signal?.throwIfAborted();
    if (existing.has(trackOf(stem.fileName))) {
      present.push(stem.fileName);
      deps.onStem?.(stem.fileName, 'present');
      continue;
    }
    const bytes = encodeWav(stem.channels, DEMO_SAMPLE_RATE, '24');
    const ticket = await deps.service.initiateUpload(room, { fileName: stem.fileName, size: bytes.length });
    const parts = await Promise.all(
      ticket.parts.map(async ({ partNumber, url }) => {
        const body = bytes.slice((partNumber - 1) * ticket.partSize, partNumber * ticket.partSize);
        const r = await fetch(url, { method: 'PUT', body, signal: deps.signal });
        const etag = r.headers.get('etag');
        if (!r.ok || !etag) throw new Error(`Demo stem part ${partNumber} of ${stem.fileName} failed: HTTP ${r.status}`);
        return { partNumber, etag };
      }),
    );
    await deps.service.completeUpload(room, ticket.uploadId, parts, deps.signal);
    uploaded.push(stem.fileName);
    deps.onStem?.(stem.fileName, 'uploaded');
  }
  return { uploaded, present };
}
