/**
 * Version of the mix document layout. Bump it with a migration in ops/migrateMixDoc.ts.
 * v1: pan stored as -100..100, sends stored as a Y.Array of {bus, level, pre, on}.
 * v2: pan -1..1, sends a Y.Map keyed by bus id (one send per bus, converges on
 *     concurrent adds).
 * v3: every track and bus has a panLaw ('webaudio' for strips made before, 'balance' for
 *     new ones).
 */
export const CURRENT_SCHEMA_VERSION = 3;
