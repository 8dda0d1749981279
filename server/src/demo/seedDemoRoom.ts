import type * as Y from 'yjs';
import type { TransactionOrigin } from '@mixroom/shared/protocol';
import { encodeWav } from '../stems/encodeWav.ts';
import type { StemService } from '../stems/StemService.ts';
import { applyDemoMix } from './applyDemoMix.ts';
import { DEMO_SAMPLE_RATE, DEMO_STEM_FILES, synthesizeDemoStems } from './synthesizeDemoStems.ts';

/** Id of the room `pnpm start` offers with the generated multitrack. */
export const DEMO_ROOM_ID = 'demo';
/** What the demo room's header says (its id is a URL, not a title). */
export const DEMO_ROOM_TITLE = 'Mixroom demo song';

export interface SeedDemoRoomDeps {
  service: StemService;
  /** Names of the tracks already in the room (seeding is idempotent per stem). */
  trackNames: (room: string) => Promise<string[]>;
  /** Runs `write` on the room's live mix document with the server's origin (the starting mix). */
  writeMix: (room: string, write: (doc: Y.Doc, origin: TransactionOrigin) => void) => Promise<void>;
  room?: string;
  signal?: AbortSignal;
  /** Progress for the log. */
  onStem?: (fileName: string, status: 'uploaded' | 'present') => void;
}

/**
 * Fills the demo room on first start: synthesises the stems, encodes each as 24-bit WAV and
 * sends it through the browser's path on the server side (a multipart upload with the same
 * part lengths, then completion, validation, analysis and track creation). Parts go to the
 * store directly rather than over HTTP to this very process, which may sit behind TLS or a
 * proxy it cannot reach. A stem whose track already
 * exists is skipped, so a restart (or a start interrupted halfway) never duplicates tracks.
 * A room seeded from nothing then gets the demo's starting mix (levels, pans, reverb sends,
 * master limiter on: {@link applyDemoMix}); a room that had tracks keeps its mix.
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
      ticket.parts.map(async ({ partNumber }) => {
        const body = bytes.subarray((partNumber - 1) * ticket.partSize, partNumber * ticket.partSize);
        return { partNumber, etag: await deps.service.writePart(room, ticket.uploadId, partNumber, body, deps.signal) };
      }),
    );
    await deps.service.completeUpload(room, ticket.uploadId, parts, deps.signal);
    uploaded.push(stem.fileName);
    deps.onStem?.(stem.fileName, 'uploaded');
  }
  if (existing.size === 0 && uploaded.length > 0) await deps.writeMix(room, applyDemoMix);
  return { uploaded, present };
}
