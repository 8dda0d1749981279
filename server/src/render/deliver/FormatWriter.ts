import type { FormatMeasurement } from '@mixroom/shared/review';
import type { SealedBakeFile } from './BakeFileSink.ts';
import type { BakeFormat } from '../BakeFormat.ts';
import type { FlacEncoderChoice } from '../encode/FlacEncoder.ts';
import type { Mp3EncoderChoice } from '../encode/Mp3Encoder.ts';
import type { NativeCodecChoice } from '../encode/nativeCodecChoice.ts';

/** Plain data (it crosses to an encoder thread): everything one format's writer needs. */
export interface FormatWriterOptions {
  format: BakeFormat;
  sampleRate: number;
  channels: number;
  /** Exact length of the master. */
  totalFrames: number;
  /** Largest block that will be written. */
  maxBlockFrames: number;
  /** Folder for the temp files (default: the OS temp dir). */
  tmpDir?: string;
  /** True-peak ceiling (dBTP) the files are checked against; the MP3 is held under it. */
  ceilingDb: number;
  /** Measure the file (false when a twin format writes the same samples and measures them). */
  measure: boolean;
  /** MP3: gain of the first encoding (dB, 0 or less); see `mp3StartGainDb`. */
  startGainDb?: number;
  /** MP3: which LAME encodes it (default: the wasm build). */
  mp3Encoder?: Mp3EncoderChoice;
  /** MP3: which mpg123 decodes it for its meter (default: the wasm build). */
  mp3MeterDecoder?: NativeCodecChoice;
  /** FLAC: which libFLAC encodes it (default: the wasm build). */
  flacEncoder?: FlacEncoderChoice;
  /** MP3: called when the file is encoded again at a lower gain (pass 2, 3, ...). Not plain data: set in the thread. */
  onPass?: (pass: number, gainDb: number) => void;
  /** A native codec's process (encoder, the MP3 meter's decoder) started or ended (its owner kills it on cancel). Not plain data: set in the thread. */
  onChild?: (pid: number, running: boolean) => void;
}

export interface FormatWriterResult {
  file: SealedBakeFile;
  /** Null when `measure` was false. */
  measurement: FormatMeasurement | null;
}

/**
 * One output file of a bake: encodes master blocks into a temp file as they come, measures
 * what a decoder of that file will get, and seals the file (hash, header patches) at the
 * end. `write` encodes synchronously before its first await, so the block may be reused
 * once every writer's `write` was called; its promise settles when the bytes are on disk.
 */
export interface FormatWriter {
  readonly format: BakeFormat;
  write(block: readonly Float32Array[], frames: number): Promise<void>;
  finish(signal: AbortSignal): Promise<FormatWriterResult>;
  /** Removes temp files and frees the encoder; safe after finish, after a failure, and twice. */
  discard(): Promise<void>;
}
