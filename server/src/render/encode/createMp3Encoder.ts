import { BakeError } from '../BakeError.ts';
import { createNativeMp3Encoder } from './createNativeMp3Encoder.ts';
import { createWasmMp3Encoder } from './createWasmMp3Encoder.ts';
import { MP3_SAMPLE_RATES, type Mp3Encoder, type Mp3EncoderOptions } from './Mp3Encoder.ts';

/** The MP3 encoder its `encoder` choice names; both write the same Info frame and take the same input. */
export async function createMp3Encoder(options: Mp3EncoderOptions): Promise<Mp3Encoder> {
  const { sampleRate, channels } = options;
  if (!(MP3_SAMPLE_RATES as readonly number[]).includes(sampleRate)) {
    throw new BakeError('encoder', `MP3 320 needs a 32, 44.1 or 48 kHz session; this one runs at ${sampleRate} Hz.`);
  }
  if (channels !== 1 && channels !== 2) throw new BakeError('encoder', `MP3 supports 1 or 2 channels, not ${channels}.`);
  return options.encoder.kind === 'native' ? createNativeMp3Encoder(options, options.encoder.command) : createWasmMp3Encoder(options);
}
