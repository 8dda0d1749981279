/**
 * The browser audio engine: realises MixPlans on a standardized-audio-context context.
 * Contexts must come from the same standardized-audio-context module the engine uses
 * (its wrappers reject native nodes and foreign contexts), hence the re-exports.
 */
export { createEngine } from './createEngine.ts';
export { DEFAULT_CHUNK_FRAMES, DEFAULT_MEMORY_BUDGET_BYTES, DEFAULT_STEM_WAIT_SECONDS } from './MixEngine.ts';
export type { EngineContext, EngineOptions, LoopRegion, MeterReading, MixEngine, PlaybackStatus, StemLoader, StemLoadHint } from './MixEngine.ts';
export { bufferStemReader, isStemReader } from './StemReader.ts';
export type { StemReader } from './StemReader.ts';
export { AudioContext, OfflineAudioContext } from 'standardized-audio-context';
