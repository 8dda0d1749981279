import { z } from 'zod';
import type { MixState } from '../model/MixState.ts';
import { actorSchema } from './Actor.ts';
import { CONTENT_HASH_PATTERN } from './contentHash.ts';
import { formatMeasurementSchema } from './DeliverableCheck.ts';
import { RENDER_FORMATS } from './RenderFormat.ts';

export const VERSION_NAME_MAX = 80;
export const VERSION_NOTE_MAX = 2000;

/**
 * An immutable snapshot of the mix. `stateHash` is `contentHash(state)`; `number` counts
 * versions in the room from 1. Never rewritten after creation (its bake lives apart, in
 * {@link BakeRecord}).
 */
export const versionRecordSchema = z.object({
  id: z.string(),
  number: z.number().int().min(1),
  name: z.string(),
  note: z.string(),
  createdBy: actorSchema,
  createdAt: z.number(),
  stateHash: z.string().regex(CONTENT_HASH_PATTERN),
  /** The snapshot itself; the server validated it when it read the live document. */
  state: z.custom<MixState>((value) => typeof value === 'object' && value !== null),
});
export type VersionRecord = z.infer<typeof versionRecordSchema>;

/** One stored render file of a version. */
export const renderFileSchema = z.object({
  key: z.string(),
  /** SHA-256 hex of the file's bytes (what a download must hash to). */
  hash: z.string().regex(CONTENT_HASH_PATTERN),
  bytes: z.number().int().min(0),
});
export type RenderFile = z.infer<typeof renderFileSchema>;

export const BAKE_STATUSES = ['queued', 'baking', 'done', 'failed', 'cancelled'] as const;
export type BakeStatus = (typeof BAKE_STATUSES)[number];

/**
 * What a running bake is doing: opening stems and starting threads, rendering (every format
 * encodes in parallel with it), encoding what is left after the render (an MP3 encoded again
 * under its ceiling), storing the files.
 */
export const BAKE_PHASES = ['starting', 'rendering', 'encoding', 'storing'] as const;
export type BakePhase = (typeof BAKE_PHASES)[number];

/**
 * The bake of a version, updated by the server as it progresses (so everyone in the room
 * sees the same progress bar). `loudness` and `duration` come from the bake's analysis.
 */
export const bakeRecordSchema = z.object({
  versionId: z.string(),
  status: z.enum(BAKE_STATUSES),
  /** 0..1 */
  progress: z.number().min(0).max(1),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
  error: z.string().nullable(),
  /** Integrated loudness (BS.1770, LUFS) and true peak (dBTP) of the reference render; null values for silence. */
  loudness: z.object({ integratedLufs: z.number().nullable(), truePeakDb: z.number().nullable() }).nullable(),
  durationSec: z.number().nullable(),
  renders: z.partialRecord(z.enum(RENDER_FORMATS), renderFileSchema),
  /** Each stored file measured on what its decoder gets (absent on bakes from before this existed). */
  formats: z.partialRecord(z.enum(RENDER_FORMATS), formatMeasurementSchema).default({}),
  /** True-peak ceiling the files were checked against (dBTP), see `deliverableCeilingDb`. */
  ceilingDb: z.number().nullable().default(null),
  /** While baking: the phase, seconds left (null until there is a speed to go by), the formats it waits for, the MP3 pass. */
  phase: z.enum(BAKE_PHASES).nullable().default(null),
  etaSec: z.number().min(0).nullable().default(null),
  pending: z.array(z.enum(RENDER_FORMATS)).default([]),
  mp3Pass: z.number().int().min(1).nullable().default(null),
});
export type BakeRecord = z.infer<typeof bakeRecordSchema>;
