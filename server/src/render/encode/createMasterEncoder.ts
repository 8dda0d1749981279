import type { BakeFormat } from '../BakeFormat.ts';
import { createFlacEncoder } from './createFlacEncoder.ts';
import { createWavEncoder } from './createWavEncoder.ts';
import type { MasterEncoder, MasterEncoderOptions } from './MasterEncoder.ts';

/** The PCM formats: encoded block by block on the calling thread (the MP3 streams through `createMp3Encoder`). */
export type PcmBakeFormat = Exclude<BakeFormat, 'mp3'>;

/** The encoder for one PCM output format. */
export async function createMasterEncoder(format: PcmBakeFormat, options: MasterEncoderOptions): Promise<MasterEncoder> {
  switch (format) {
    case 'wav16':
      return createWavEncoder(16, options);
    case 'wav24':
      return createWavEncoder(24, options);
    case 'flac':
      return createFlacEncoder(options);
  }
}
