import { createRequire } from 'node:module';
import type { DecodedAudio } from './DecodedAudio.ts';

const { WaveFile } = createRequire(import.meta.url)('wavefile') as typeof import('wavefile');

/**
 * The playback copy of a non-WAV stem: exactly the server's decode, as WAV, so every browser
 * and the bake play the same samples (browsers disagree on MP3 priming, and Chromium and
 * Firefox cannot decode AIFF at all). Lossless integer sources of up to 24 bits are stored
 * as 24-bit PCM (bit-exact); lossy and float sources as 32-bit float (exact decode output).
 */
export function encodePlaybackWav(audio: DecodedAudio): Uint8Array {
  const wav = new WaveFile();
  const integer = !audio.float && audio.bitDepth !== null && audio.bitDepth <= 24;
  if (integer) {
    const full = 2 ** 23;
    const data = audio.channelData.map((ch) => Float64Array.from(ch, (v) => Math.max(-full, Math.min(full - 1, Math.round(v * full)))));
    wav.fromScratch(audio.channelData.length, audio.sampleRate, '24', data);
  } else {
    wav.fromScratch(audio.channelData.length, audio.sampleRate, '32f', audio.channelData.map((c) => Float64Array.from(c)));
  }
  return wav.toBuffer();
}
