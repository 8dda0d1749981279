import type { BakeFormat } from '../BakeFormat.ts';
import { createFlacEncoder } from './createFlacEncoder.ts';
import { createMp3Encoder } from './createMp3Encoder.ts';
import { createWavEncoder } from './createWavEncoder.ts';
import type { MasterEncoder, MasterEncoderOptions } from './MasterEncoder.ts';

/** The encoder for one output format. */
export async function createMasterEncoder(format: BakeFormat, options: MasterEncoderOptions): Promise<MasterEncoder> {
  switch (format) {
    case 'wav16':
      return createWavEncoder(16, options);
    case 'wav24':
      return createWavEncoder(24, options);
    case 'flac':
      return createFlacEncoder(options);
    case 'mp3':
      return createMp3Encoder(options);
  }
}
