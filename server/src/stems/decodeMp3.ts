import type { DecodedAudio } from './DecodedAudio.ts';
import { DecodeBuffer } from './DecodeBuffer.ts';
import { maxFramesAt, type DecodeLimits } from './DecodeLimits.ts';
import { checkDeclaredLength } from './checkDeclaredLength.ts';
import { checkMp3Frames } from './checkMp3Frames.ts';
import { ApiError } from '../http/ApiError.ts';

/**
 * Bytes fed to mpg123 at once: at most ~700 Layer III frames, so one step decodes at most
 * ~6 MB of float samples whatever the file holds (mpg123's own input buffer is as large).
 */
const CHUNK_BYTES = 1 << 16;

/**
 * Decodes MPEG-1/2 Layer III with mpg123 (WASM, `mpg123-decoder`), gapless (encoder delay
 * and padding removed via the LAME/Xing header when present), a chunk of frames at a time.
 * The frame walk first proves the file whole and counts its frames, so an over-long stream is
 * refused before decoding; a free-format stream (not walked) is stopped at the budget.
 * mpg123 always gives two channels (mono is doubled).
 */
export async function decodeMp3(bytes: Uint8Array, limits: DecodeLimits): Promise<DecodedAudio> {
  const walk = checkMp3Frames(bytes, id3v2Length(bytes));
  const audioFrames = walk.frames === null ? null : walk.frames - (walk.declaredFrames === null ? 0 : 1);
  if (walk.declaredFrames !== null && audioFrames !== null && walk.declaredFrames !== audioFrames && walk.declaredFrames !== walk.frames) {
    throw new ApiError('corrupt', `The MP3 file is damaged: its header declares ${walk.declaredFrames} frames but it holds ${audioFrames}.`);
  }
  limits.accept?.({ sampleRate: walk.sampleRate, channels: walk.channels });
  const maxFrames = maxFramesAt(limits, walk.sampleRate);
  // Gapless trimming removes at most a frame or two of delay and padding: a walk of more
  // frames than the budget plus those is too long before a sample is decoded.
  if (audioFrames !== null && (audioFrames - 2) * walk.samplesPerFrame > maxFrames) {
    checkDeclaredLength((audioFrames - 2) * walk.samplesPerFrame, walk.sampleRate, 2, limits);
  }
  const out = new DecodeBuffer(2, {
    declaredFrames: null,
    maxFrames,
    ...(audioFrames === null ? {} : { initialFrames: audioFrames * walk.samplesPerFrame }),
    maxSeconds: limits.maxSeconds,
    label: 'MP3',
  });
  const { MPEGDecoder } = await import('mpg123-decoder');
  const decoder = new MPEGDecoder({ enableGapless: true });
  try {
    await decoder.ready;
    let sampleRate = 0;
    for (let at = 0; at < bytes.length; at += CHUNK_BYTES) {
      const r = decoder.decode(bytes.subarray(at, at + CHUNK_BYTES));
      if (r.errors.length > 0) throw new ApiError('corrupt', `The MP3 file is damaged: ${r.errors[0]!.message}.`);
      if (r.samplesDecoded === 0) continue;
      sampleRate ||= r.sampleRate;
      out.push(r.channelData, r.samplesDecoded);
    }
    if (out.frames === 0) throw new ApiError('corrupt', 'The MP3 file holds no decodable audio frames.');
    if (sampleRate !== walk.sampleRate) throw new ApiError('corrupt', `The MP3 file is damaged: it decodes at ${sampleRate} Hz, its frames say ${walk.sampleRate} Hz.`);
    checkDeclaredLength(out.frames, sampleRate, 2, limits);
    return {
      format: 'mp3',
      encoding: 'MP3',
      bitDepth: null,
      float: false,
      sampleRate,
      channelData: out.channelData(),
      frames: out.frames,
    };
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError('corrupt', `The MP3 file could not be decoded: ${(error as Error).message}`, { cause: error });
  } finally {
    decoder.free();
  }
}

/** Bytes taken by a leading ID3v2 tag (0 when there is none). */
function id3v2Length(bytes: Uint8Array): number {
  if (bytes.length < 10 || bytes[0] !== 0x49 || bytes[1] !== 0x44 || bytes[2] !== 0x33) return 0;
  const size = ((bytes[6]! & 0x7f) << 21) | ((bytes[7]! & 0x7f) << 14) | ((bytes[8]! & 0x7f) << 7) | (bytes[9]! & 0x7f);
  return 10 + size + ((bytes[5]! & 0x10) !== 0 ? 10 : 0);
}
