/** `MP3_ENCODER`: which LAME encodes the MP3. `auto` takes the native one when it is installed. */
export const MP3_ENCODER_SETTINGS = ['auto', 'native', 'wasm'] as const;
export type Mp3EncoderSetting = (typeof MP3_ENCODER_SETTINGS)[number];

/**
 * The LAME a bake uses, resolved once from the setting (plain data: it crosses to an encoder
 * thread): Debian's `lame` 3.100 in a child process, or the same LAME 3.100 compiled to wasm.
 */
export type Mp3EncoderChoice = { kind: 'wasm' } | { kind: 'native'; command: string };

export interface Mp3EncoderOptions {
  sampleRate: number;
  channels: number;
  /** Exact length of the master: bounds the native encoder's output. */
  totalFrames: number;
  encoder: Mp3EncoderChoice;
  /**
   * The file's bytes in order (the Info tag's placeholder frame first), as the encoder makes
   * them: during `encode` (wasm) or as the child process writes them (native). A throw fails
   * the encoder.
   */
  onBytes: (chunks: Uint8Array[]) => void;
  /** A native encoder's process started (`running`) or ended: the bake's owner kills it on cancel. */
  onChild?: (pid: number, running: boolean) => void;
  /** Native: the encoder is failed when it writes nothing for this long while it has input (ms; default 60 s). */
  stallMs?: number;
}

/**
 * MP3 320 kbit/s CBR, LAME's quality 3, streaming: the bytes go to `onBytes`. The input is
 * float in [-1, 1] (clipped and at its gain already).
 */
export interface Mp3Encoder {
  readonly choice: Mp3EncoderChoice;
  /** Takes one planar block, copied before this returns; resolves when the encoder can take more. */
  encode(block: readonly Float32Array[], frames: number): Promise<void>;
  /** Ends the input; resolves once every byte went to `onBytes`. */
  finish(): Promise<void>;
  /** The Info frame over the placeholder (after `finish`). */
  headerPatches(): { offset: number; bytes: Uint8Array }[];
  /** Stops the encoder (a native one's process is killed); safe twice and after a failure. */
  dispose(): void;
}

/** MPEG-1 Layer III exists only at these rates. */
export const MP3_SAMPLE_RATES = [32000, 44100, 48000] as const;
