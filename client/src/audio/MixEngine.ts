import type { StemRef } from '@mixroom/shared/model';
import type { MixPlan } from '@mixroom/shared/plan';
import type { IAudioContext, IOfflineAudioContext, TAnyAudioBuffer } from 'standardized-audio-context';
import type { StemReader } from './StemReader.ts';

/** The context an engine runs on: live playback or an offline render (tests, previews). */
export type EngineContext = IAudioContext | IOfflineAudioContext;

/**
 * Opens a stem. Injected: another module owns fetching from S3 and decoding. Returns a
 * StemReader the engine reads chunks around the playhead from (the app's: HTTP Range reads
 * of the playback WAV), or, for callers that hold the whole stem already (tests, offline
 * renders), its AudioBuffer, which is then played through the same chunked path. Either way
 * with the stem's own channel count (mono stays mono: half the memory, and the plan's
 * channel counts rely on it) and the context's sample rate. Rejects on abort. `hint` says
 * what playback reads first when that is the top of the song.
 */
export type StemLoader = (stem: StemRef, signal: AbortSignal, hint?: StemLoadHint) => Promise<StemReader | TAnyAudioBuffer>;

/** What playback will read first, so a loader may fetch it with the stem's header (one request, not two). */
export interface StemLoadHint {
  /** Playback starts at the top: frames [0, firstFrames) are read first. */
  firstFrames: number;
}

/**
 * Frames per playback chunk by default: 2^16 (1.37 s at 48 kHz, 256 KiB per mono chunk). A
 * chunk is the unit of reading and of starting: Play reads one (or two, for a second of
 * audio) per stem before the first sound, so smaller chunks start sooner; 2^18 made 40
 * stereo stems read 40 MiB first.
 */
export const DEFAULT_CHUNK_FRAMES = 2 ** 16;
/** Live playback reads ahead of the playhead at least this far (2^19 frames: 10.9 s at 48 kHz), whatever the chunk size. */
export const PREFETCH_AHEAD_FRAMES = 2 ** 19;
/**
 * Reads ahead come in aligned blocks of this many frames (2^18: 5.46 s, four default
 * chunks), one request each, and the window ahead grows a block at a time: 40 stems
 * playing make 7 requests a second, not 29. Only what a start needs is read a chunk at a time.
 */
export const PREFETCH_READ_FRAMES = 2 ** 18;
/**
 * Audio a start (Play, a seek, a loop jump, a resume) needs ready under the playhead for
 * every awaited stem: 2^17 frames (2.7 s at 48 kHz, two default chunks), at most two
 * chunks. Less starts sooner but holds again at once when the next chunks cannot follow as
 * fast: on a link 1.6x faster than the stems play, or a store answering 17 requests a second.
 */
export function startLeadFrames(chunkFrames: number): number {
  return Math.min(2 ** 17, 2 * chunkFrames);
}
/** ...and keeps this much behind it (2^17 frames: 2.7 s), so a small step back plays at once. */
export const KEEP_BEHIND_FRAMES = 2 ** 17;
/**
 * Decoded PCM a live engine holds at most by default, for any number of stems: 400 MiB.
 * The window (the chunks covering PREFETCH_AHEAD_FRAMES ahead, rounded up to a read block,
 * and KEEP_BEHIND_FRAMES behind: 15-20 s) of 40 mono stems takes at most 150 MiB, of 40
 * stereo stems 300 MiB;
 * beyond the budget the least urgent chunks go first, down to one chunk per stem.
 */
export const DEFAULT_MEMORY_BUDGET_BYTES = 400 * 1024 * 1024;
/**
 * Seconds Play (or a seek) waits for an audible stem's audio before playing on without it
 * by default: long enough for a first chunk over a slow link, short enough that one broken
 * stem never silences the room.
 */
export const DEFAULT_STEM_WAIT_SECONDS = 10;

export interface EngineOptions {
  context: EngineContext;
  /** URL of the built worklet bundle (see client/src/audio/README.md). */
  workletUrl: string;
  loadStem: StemLoader;
  /** Called when a stem fails to load; the track stays silent. Default: console.error. */
  onStemError?: (stem: StemRef, error: unknown) => void;
  /**
   * Fraction (0..1) of the chunks a stem needs around the playhead that are ready: 1 means
   * it plays here. Drops below 1 again when a seek moves it where nothing is read yet.
   */
  onStemProgress?: (stem: StemRef, fraction: number) => void;
  /** Frames per playback chunk, a power of two. Default DEFAULT_CHUNK_FRAMES. */
  chunkFrames?: number;
  /** Live playback's decoded-PCM budget, bytes. Default DEFAULT_MEMORY_BUDGET_BYTES. Offline renders read every chunk. */
  memoryBudgetBytes?: number;
  /** Called when a worklet reports an error (bad parameters, a failed processor). Default: console.error. */
  onError?: (message: string) => void;
  /** Seconds between `play()` and the first sample, so every source can start together. Default 0.15 (0 offline). */
  startDelay?: number;
  /** Seconds playback buffers for an audible stem before it plays on without it. Default DEFAULT_STEM_WAIT_SECONDS. */
  stemWaitTimeout?: number;
  /**
   * Called when playback gave up waiting for stems and went on without them (each joins,
   * in time, once its audio arrives). Default: console.warn.
   */
  onStemsSkipped?: (stems: StemRef[], waitedSeconds: number) => void;
}

/** Playback beyond playing or not: see {@link MixEngine.playbackStatus}. */
export interface PlaybackStatus {
  /**
   * Playing, but holding the playhead until every audible stem's audio there is ready
   * (after Play, a seek or a loop jump into audio not read yet). Nothing sounds and the
   * position stands still meanwhile; then every stem starts on the same frame.
   */
  buffering: boolean;
  /** The stems being waited for while buffering. */
  waitingFor: StemRef[];
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
  /** Gain reduction of each dynamics processor of the strip by its plan role ('comp', 'gate', 'glue', 'limiter'), dB >= 0. */
  reductions: Readonly<Record<string, number>>;
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
   * to now + startDelay. Returns that time; playback starts there if every audible stem's
   * audio at the playhead is ready, and otherwise buffers first (see `playbackStatus`).
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
  /** True from play() to stop(), buffering included. */
  readonly playing: boolean;
  playbackStatus(): PlaybackStatus;
  /** Every change of `playbackStatus()`. Returns the disposer. */
  onPlaybackStatus(listener: (status: PlaybackStatus) => void): () => void;
  /** Bytes of decoded stem PCM held now (bounded by the memory budget while live). */
  heldBytes(): number;
  /** Latest reading of each strip's meter. */
  meters(): ReadonlyMap<string, MeterReading>;
  /** Every meter report as it arrives (~40 per second per strip). Returns the disposer. */
  onMeter(listener: (reading: MeterReading) => void): () => void;
  /**
   * Resolves once every worklet has taken in the messages posted to it so far (plan updates,
   * automation timelines). Messages reach the audio thread asynchronously: an offline render
   * started before then could process its first quanta without them.
   */
  settled(): Promise<void>;
  /** Stops, disconnects every node, aborts stem loads. The context is the caller's to close. */
  dispose(): void;
}
