/**
 * Neutral defaults: unity gain, flat EQ, dynamics and saturation off, pan centre. A new
 * strip must sound exactly like its stem. Each comes from its record's parameter table;
 * functions return fresh objects so callers may mutate them.
 */
export { STRIP_COLORS } from './StripRecord.ts';
export { DEFAULT_EQ_BANDS, defaultCompressor, defaultEq, defaultSaturation, defaultTrack } from './TrackRecord.ts';
export { defaultSend } from './SendRecord.ts';
export { defaultBus, defaultDelay, defaultReverb } from './BusRecord.ts';
export { defaultMaster } from './MasterRecord.ts';
export { defaultSession } from './SessionRecord.ts';
