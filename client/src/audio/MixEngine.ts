import type { StemRef } from '@mixroom/shared/model';
import type { MixPlan } from '@mixroom/shared/plan';
import type { IAudioContext, IOfflineAudioContext, TAnyAudioBuffer } from 'standardized-audio-context';

/** The context an engine runs on: live playback or an offline render (tests, previews). */
export type EngineContext = IAudioContext | IOfflineAudioContext;

/**
 * Supplies a decoded stem. Injected: another module owns fetching from S3 and decoding.
 * Must return a buffer with the stem's own channel count (mono stays mono: half the memory,
 * and the plan's channel counts rely on it). Rejects on abort.
 */
export type StemLoader = (stem: StemRef, signal: AbortSignal) => Promise<TAnyAudioBuffer>;

export interface EngineOptions {
  context: EngineContext;
  /** URL of the built worklet bundle (see client/src/audio/README.md). */
  workletUrl: string;
  loadStem: StemLoader;
  /** Called when a stem fails to load; the track stays silent. Default: console.error. */
  onStemError?: (stem: StemRef, error: unknown) => void;
  /** Called when a worklet reports an error (bad parameters, a failed processor). Default: console.error. */
  onError?: (message: string) => void;
  /** Seconds between `play()` and the first sample, so every source can start together. Default 0.05 (0 offline). */
  startDelay?: number;
}

/** A loop region in song seconds. */
export interface LoopRegion {
  start: number;
  end: number;
}

/** Latest level of one strip (`track:<id>`, `bus:<id>`, `master:`). */
export interface MeterReading {
  strip: string;
  /** Sample peak per channel since the previous reading, dBFS (-Infinity = silence). */
  peak: number[];
  /** RMS per channel over the same frames, dBFS. An empty array while the strip is silent and inactive. */
  rms: number[];
  /** Gain reduction of the strip's compressor (or the master limiter/glue, the larger), dB >= 0. */
  gainReduction: number;
  /** Master only: BS.1770 momentary (400 ms) loudness, LUFS (-Infinity until 400 ms played). */
  momentary?: number;
  /** Master only: BS.1770 short-term (3 s) loudness, LUFS (-Infinity until 3 s played). */
  shortTerm?: number;
}

export interface MixEngine {
  readonly context: EngineContext;
  /**
   * Moves the graph to `plan`: parameter changes become short ramps, new tracks/buses are
   * created and wired in without stopping playback, removed ones disconnected. The returned
   * promise resolves when stems the plan newly references are loaded (and playing, if the
   * transport runs); the graph itself is updated before `apply` returns. `at` (context
   * seconds, default now) schedules the native parameter ramps; worklet parameters change
   * when their message arrives.
   */
  apply(plan: MixPlan, at?: number): Promise<void>;
  /**
   * Starts every stem at one sample-aligned context time. `at` (context seconds) defaults
   * to now + startDelay. Returns the context time playback starts at.
   */
  play(at?: number): number;
  /** Stops playback; the position stays where it stopped. */
  stop(): void;
  /** Moves the song position (seconds); keeps playing if playing. */
  seek(position: number): void;
  /** Loops the region while playing (null: no loop). */
  setLoop(loop: LoopRegion | null): void;
  /** Song position in seconds now (of the stems being read; what is heard lags by `latencyFrames()`). */
  position(): number;
  /** Processing latency of the current plan's path to the output, in frames (e.g. the limiter's lookahead). */
  latencyFrames(): number;
  readonly playing: boolean;
  /** Latest reading of each strip's meter. */
  meters(): ReadonlyMap<string, MeterReading>;
  /** Every meter report as it arrives (~40 per second per strip). Returns the disposer. */
  onMeter(listener: (reading: MeterReading) => void): () => void;
  /** Stops, disconnects every node, aborts stem loads. The context is the caller's to close. */
  dispose(): void;
}
