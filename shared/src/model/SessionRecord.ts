import type { DocShape } from './DocShape.ts';
import { num } from './ParamSpec.ts';
import type { FieldChecks, RawRecord } from './checkFields.ts';
import { CURRENT_SCHEMA_VERSION } from './schemaVersion.ts';

/** Longest session title. */
export const MAX_TITLE_LENGTH = 200;

/** The session's numbers: their ranges (tempo may also be null: unknown). */
export const SESSION_SPEC = {
  /** Sample rate of the session: stems, playback and bake run at it. */
  sampleRate: num('samples/s', 8000, 384000, 48000),
  /** Optional tempo so the transport can show bars. */
  tempo: num('bpm', 20, 400, 120),
} as const;

export interface SessionState {
  title: string;
  /** Sample rate of the session: stems, playback and bake run at it. */
  sampleRate: number;
  /** Version of the document schema; migrations bring older documents up to it. */
  schemaVersion: number;
  /** Optional tempo so the transport can show bars; null when unknown. */
  tempo: number | null;
}

/** A new session at the current schema version, no tempo. */
export function defaultSession(title: string, sampleRate: number): SessionState {
  return { title, sampleRate, schemaVersion: CURRENT_SCHEMA_VERSION, tempo: null };
}

/** The session as stored. */
export function sessionToDocShape(s: SessionState): DocShape {
  return { ...s };
}

const clamp = (v: number, { range }: { range: { min: number; max: number } }) => Math.min(range.max, Math.max(range.min, v));

/** The stored session read back. */
export function sanitizeSession(v: unknown): SessionState {
  const r = typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as RawRecord) : {};
  const d = defaultSession('Untitled mix', SESSION_SPEC.sampleRate.default);
  const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  return {
    title: typeof r.title === 'string' && r.title.length > 0 ? r.title.slice(0, MAX_TITLE_LENGTH) : d.title,
    sampleRate: Math.round(finite(r.sampleRate) ? clamp(r.sampleRate, SESSION_SPEC.sampleRate) : d.sampleRate),
    schemaVersion: typeof r.schemaVersion === 'number' && Number.isInteger(r.schemaVersion) ? r.schemaVersion : d.schemaVersion,
    tempo: finite(r.tempo) ? clamp(r.tempo, SESSION_SPEC.tempo) : null,
  };
}

/** Checks the session of a MixState. */
export function checkSession(session: RawRecord, fields: FieldChecks, issues: string[]): void {
  fields.str(session, 'title', 'session', MAX_TITLE_LENGTH);
  const number = (key: 'sampleRate' | 'tempo') => {
    const v = fields.at(session, key, 'session');
    const { min, max, unit } = SESSION_SPEC[key].range;
    if (typeof v !== 'number' || !Number.isFinite(v)) issues.push(`session.${key}: expected a finite number`);
    else if (v < min || v > max) issues.push(`session.${key}: ${v} outside ${min}..${max} ${unit}`);
  };
  number('sampleRate');
  if (!Number.isInteger(session.schemaVersion)) issues.push('session.schemaVersion: expected an integer');
  if (session.tempo !== null) number('tempo');
}
