import { BakeError } from '../../BakeError.ts';
import { crc16 } from './crc16.ts';
import { lameInfoFrame, lameInfoFrameBytes, MP3_FRAME_SAMPLES } from './lameInfoFrame.ts';
import { Mp3FrameWalker } from './Mp3FrameWalker.ts';

/** LAME's encoder delay (ENCDELAY): frames of silence before the first input sample, in every LAME 3.100 build. */
export const LAME_ENCODER_DELAY = 576;

/**
 * Makes an encoder's bare Layer III frames gapless, whichever LAME produced them (its wasm
 * build writes no tag; the native one is told not to, since it cannot seek back in a pipe):
 * the stream starts with a placeholder frame that {@link headerPatches} turns into LAME's own
 * "Info" frame (frames, bytes, seek table, encoder delay and padding, CRCs) once the stream
 * is complete. Decoders then play exactly the master's frames, from its first sample.
 */
export class Mp3InfoTagger {
  private readonly walker = new Mp3FrameWalker();
  private readonly tagBytes: number;
  private musicCrc = 0;
  private started = false;

  constructor(private readonly sampleRate: number) {
    this.tagBytes = lameInfoFrameBytes(sampleRate);
  }

  /** The file's next bytes for this chunk of encoder output: the placeholder frame first. Checks the frames as it goes. */
  wrap(bytes: Uint8Array): Uint8Array[] {
    this.walker.push(bytes);
    this.musicCrc = crc16(bytes, this.musicCrc);
    if (this.started) return [bytes];
    this.started = true;
    return [new Uint8Array(this.tagBytes), bytes];
  }

  /** Audio bytes seen so far (the placeholder not counted). */
  get audioBytes(): number {
    return this.walker.bytes;
  }

  /** The Info frame over the placeholder, for a stream of `inputFrames` master frames. */
  headerPatches(inputFrames: number): { offset: number; bytes: Uint8Array }[] {
    const walker = this.walker;
    if (!walker.complete || walker.firstHeader === null) {
      throw new BakeError('encoder', 'The MP3 encoder ended inside a frame; the file would not play to its end.');
    }
    const padding = walker.frames * MP3_FRAME_SAMPLES - LAME_ENCODER_DELAY - inputFrames;
    const info = { firstHeader: walker.firstHeader, frames: walker.frames, fileBytes: this.tagBytes + walker.bytes, encoderDelay: LAME_ENCODER_DELAY, padding, musicCrc: this.musicCrc };
    return [{ offset: 0, bytes: lameInfoFrame(info, this.sampleRate) }];
  }
}
