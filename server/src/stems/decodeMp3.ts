import { MPEGDecoder } from 'mpg123-decoder';
import type { DecodedAudio } from './DecodedAudio.ts';
import type { DecodeLimits } from './DecodeLimits.ts';
import { checkDeclaredLength } from './checkDeclaredLength.ts';
import { checkMp3Frames } from './checkMp3Frames.ts';
import { StemError } from './StemError.ts';

/**
 * Decodes MPEG-1/2 Layer III with mpg123 (WASM, `mpg123-decoder`), gapless (encoder delay
 * and padding removed via the LAME/Xing header when present).
 */
export async function decodeMp3(bytes: Uint8Array, limits: DecodeLimits): Promise<DecodedAudio> {
  checkMp3Frames(bytes, id3v2Length(bytes));
  const decoder = new MPEGDecoder({ enableGapless: true });
  try {
    await decoder.ready;
    const r = decoder.decode(bytes);
    if (r.errors.length > 0) throw new StemError('corrupt', `The MP3 file is damaged: ${r.errors[0]!.message}.`);
    if (r.samplesDecoded === 0) throw new StemError('corrupt', 'The MP3 file holds no decodable audio frames.');
    checkDeclaredLength(r.samplesDecoded, r.sampleRate, r.channelData.length, limits);
    return {
      format: 'mp3',
      encoding: 'MP3',
      bitDepth: null,
      float: false,
      sampleRate: r.sampleRate,
      channelData: r.channelData.map((c) => c.subarray(0, r.samplesDecoded)),
      frames: r.samplesDecoded,
    };
  } catch (error) {
    if (error instanceof StemError) throw error;
    throw new StemError('corrupt', `The MP3 file could not be decoded: ${(error as Error).message}`, { cause: error });
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
