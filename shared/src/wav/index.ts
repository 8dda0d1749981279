export * from './WavSampleFormat.ts';
export * from './parseWavHeader.ts';
export * from './decodeWavFrames.ts';
export * from './writeWavHeader.ts';
