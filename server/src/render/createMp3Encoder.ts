import { createMp3Encoder as createLame } from 'wasm-media-encoders';
import { BakeError } from './BakeError.ts';
import type { MasterEncoder, MasterEncoderOptions } from './MasterEncoder.ts';

const MP3_SAMPLE_RATES = [32000, 44100, 48000] as const;

/**
 * MP3 320 kbit/s CBR through LAME compiled to wasm (wasm-media-encoders). LAME quantises
 * from float itself, so no dither stage here. MPEG-1 Layer III only exists at 32/44.1/48 kHz.
 */
export async function createMp3Encoder(options: MasterEncoderOptions): Promise<MasterEncoder> {
  const { sampleRate, channels } = options;
  if (!(MP3_SAMPLE_RATES as readonly number[]).includes(sampleRate)) {
    throw new BakeError('encoder', `MP3 320 needs a 32, 44.1 or 48 kHz session; this one runs at ${sampleRate} Hz.`);
  }
  if (channels !== 1 && channels !== 2) throw new BakeError('encoder', `MP3 supports 1 or 2 channels, not ${channels}.`);
  const lame = await createLame();
  lame.configure({ sampleRate, channels, bitrate: 320 });
  return {
    encode(block, frames) {
      const input = block.map((c) => (c.length === frames ? c : c.subarray(0, frames)));
      // The returned view points into wasm memory that the next call overwrites: copy.
      return [lame.encode(input).slice()];
    },
    finish() {
      return [lame.finalize().slice()];
    },
    headerPatches() {
      return [];
    },
    dispose() {},
  };
}
