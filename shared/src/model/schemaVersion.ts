import { BUS_SCHEMA_STEPS } from './BusRecord.ts';
import { MASTER_SCHEMA_STEPS } from './MasterRecord.ts';
import { TRACK_SCHEMA_STEPS } from './TrackRecord.ts';

/**
 * Version of the mix document layout: the newest step any record takes (each record file
 * holds its migrations; a parameter added with `since: n` brings its own). ops/migrateMixDoc
 * runs them.
 * v1: pan stored as -100..100, sends stored as a Y.Array of {bus, level, pre, on}.
 * v2: pan -1..1, sends a Y.Map keyed by bus id (one send per bus, converges on
 *     concurrent adds).
 * v3: every track and bus has a panLaw ('webaudio' for strips made before, 'balance' for
 *     new ones).
 * v4: every track, bus and the master has an `automation` map (empty: sounds as before).
 * v6: every track has a `deess` section, off (model/DeesserSpec.ts).
 */
export const CURRENT_SCHEMA_VERSION: number = Math.max(1, ...TRACK_SCHEMA_STEPS, ...BUS_SCHEMA_STEPS, ...MASTER_SCHEMA_STEPS);
