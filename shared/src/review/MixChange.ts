import { z } from 'zod';
import { AUTOMATION_CURVES, MAX_AUTOMATION_SECONDS, type AutomationPoint } from '../model/AutomationLane.ts';

/** Which part of a mix a change touches. */
export const MIX_CHANGE_SCOPES = ['session', 'track', 'bus', 'master'] as const;
export type MixChangeScope = (typeof MIX_CHANGE_SCOPES)[number];

/** A JSON leaf value a parameter can hold (numbers, switches, names, ids; null for "none"). */
export type MixLeaf = number | boolean | string | null;

/**
 * One parameter-level difference between two mix states.
 *
 * `path` addresses the parameter inside its entity; array items are addressed by their
 * stable key, not their position: EQ bands by index (`['eq','bands','2','gain']`), sends by
 * target bus id (`['sends', busId, 'level']`). `kind` is `param` for a changed leaf and
 * `added`/`removed` for whole tracks, buses or sends (then `before`/`after` are null).
 */
export interface MixChange {
  kind: 'param' | 'added' | 'removed';
  scope: MixChangeScope;
  /** Track or bus id; null for session and master. */
  id: string | null;
  path: string[];
  before: MixLeaf;
  after: MixLeaf;
  /** Human-readable line, e.g. `Vocal: +1.5 dB` or `Vocal: EQ band 3 -2 dB at 3.2 kHz`. */
  text: string;
  /**
   * On an automation change (path `['automation', ...param path]`) that adds or edits a
   * lane: the lane it proposes, so applying a suggestion rides the parameter as proposed.
   * A change list carries at most {@link SUGGESTION_LANE_POINTS_MAX} lane points in all (in
   * order); lanes past that are words only.
   */
  lane?: { points: AutomationPoint[] };
}

/**
 * Most lane points a list of mix changes carries, all lanes together: about 36 kB of JSON
 * at ~90 B a recorded point, so a comment with its suggestion stays under the 64 kB body
 * limit.
 */
export const SUGGESTION_LANE_POINTS_MAX = 400;

const pointSchema = z.object({
  id: z.string().min(1).max(64),
  time: z.number().finite().min(0).max(MAX_AUTOMATION_SECONDS),
  value: z.number().finite(),
  curve: z.enum(AUTOMATION_CURVES),
});

const leafSchema = z.union([z.number().finite(), z.boolean(), z.string().max(200), z.null()]);

/** Validator for an untrusted {@link MixChange} (a comment's attached mix suggestion). */
export const mixChangeSchema = z.object({
  kind: z.enum(['param', 'added', 'removed']),
  scope: z.enum(MIX_CHANGE_SCOPES),
  id: z.string().max(64).nullable(),
  path: z.array(z.string().max(64)).max(6),
  before: leafSchema,
  after: leafSchema,
  text: z.string().max(300),
  lane: z.object({ points: z.array(pointSchema).max(SUGGESTION_LANE_POINTS_MAX) }).optional(),
}) satisfies z.ZodType<MixChange>;
