/**
 * Version of the mix document layout. Bump it with a migration in ops/migrateMixDoc.ts.
 * v1: pan stored as -100..100, sends stored as a Y.Array of {bus, level, pre, on}.
 * v2: pan -1..1, sends a Y.Map keyed by bus id (one send per bus, converges on
 *     concurrent adds).
 */
export const CURRENT_SCHEMA_VERSION = 2;
