import type { DecodedAudio } from './DecodedAudio.ts';
import { encodeWav } from './encodeWav.ts';

/**
 * The playback copy of a non-WAV stem: exactly the server's decode, as WAV, so every browser
 * and the bake play the same samples (browsers disagree on MP3 priming, and Chromium and
 * Firefox cannot decode AIFF at all). Lossless integer sources of up to 24 bits are stored
 * as 24-bit PCM (bit-exact); lossy and float sources as 32-bit float (exact decode output).
 */
export function encodePlaybackWav(audio: DecodedAudio): Uint8Array {
  const integer = !audio.float && audio.bitDepth !== null && audio.bitDepth <= 24;
  return encodeWav(audio.channelData, audio.sampleRate, integer ? '24' : '32f');
}
