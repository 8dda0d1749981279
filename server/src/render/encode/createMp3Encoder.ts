import { createEncoder } from 'wasm-media-encoders';
import { BakeError } from '../BakeError.ts';
import { loadLameModule } from './loadLameModule.ts';
import type { MasterEncoder, MasterEncoderOptions } from './MasterEncoder.ts';
import { crc16 } from './mp3/crc16.ts';
import { lameInfoFrame, lameInfoFrameBytes, MP3_FRAME_SAMPLES } from './mp3/lameInfoFrame.ts';
import { Mp3FrameWalker } from './mp3/Mp3FrameWalker.ts';

const MP3_SAMPLE_RATES = [32000, 44100, 48000] as const;
/** LAME's encoder delay (ENCDELAY): frames of silence before the first input sample. */
const LAME_ENCODER_DELAY = 576;

/**
 * MP3 320 kbit/s CBR through LAME compiled to wasm (wasm-media-encoders). LAME quantises
 * from float itself, so no dither stage here. MPEG-1 Layer III only exists at 32/44.1/48 kHz.
 *
 * Gapless: this LAME build writes no tag frame and does not expose lame_get_lametag_frame,
 * so the file starts with a placeholder frame that the header patch turns into LAME's own
 * "Info" frame (frames, bytes, seek table, encoder delay and padding, CRCs) once the stream
 * is complete. Decoders then play exactly the master's frames, from its first sample.
 */
export async function createMp3Encoder(options: MasterEncoderOptions): Promise<MasterEncoder> {
  const { sampleRate, channels } = options;
  if (!(MP3_SAMPLE_RATES as readonly number[]).includes(sampleRate)) {
    throw new BakeError('encoder', `MP3 320 needs a 32, 44.1 or 48 kHz session; this one runs at ${sampleRate} Hz.`);
  }
  if (channels !== 1 && channels !== 2) throw new BakeError('encoder', `MP3 supports 1 or 2 channels, not ${channels}.`);
  const lame = await createEncoder('audio/mpeg', await loadLameModule());
  lame.configure({ sampleRate, channels, bitrate: 320 });
  const tagBytes = lameInfoFrameBytes(sampleRate);
  const walker = new Mp3FrameWalker();
  let musicCrc = 0;
  let inputFrames = 0;
  let started = false;

  /** The encoder's bytes (copied: the view points into wasm memory the next call overwrites), after the placeholder. */
  const emit = (view: Uint8Array): Uint8Array[] => {
    const bytes = view.slice();
    walker.push(bytes);
    musicCrc = crc16(bytes, musicCrc);
    if (started) return [bytes];
    started = true;
    return [new Uint8Array(tagBytes), bytes];
  };

  return {
    encode(block, frames) {
      inputFrames += frames;
      return emit(lame.encode(block.map((c) => (c.length === frames ? c : c.subarray(0, frames)))));
    },
    finish() {
      return emit(lame.finalize());
    },
    headerPatches() {
      if (!walker.complete || walker.firstHeader === null) {
        throw new BakeError('encoder', 'The MP3 encoder ended inside a frame; the file would not play to its end.');
      }
      const padding = walker.frames * MP3_FRAME_SAMPLES - LAME_ENCODER_DELAY - inputFrames;
      const info = { firstHeader: walker.firstHeader, frames: walker.frames, fileBytes: tagBytes + walker.bytes, encoderDelay: LAME_ENCODER_DELAY, padding, musicCrc };
      return [{ offset: 0, bytes: lameInfoFrame(info, sampleRate) }];
    },
    dispose() {},
  };
}
