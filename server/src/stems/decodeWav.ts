import { createRequire } from 'node:module';

// wavefile's CommonJS build is minified past Node's named-export detection; its ESM entry
// is not exposed to Node. Loading it through require works under Node, tsx and vitest.
const { WaveFile } = createRequire(import.meta.url)('wavefile') as typeof import('wavefile');
import type { DecodedAudio } from './DecodedAudio.ts';
import type { DecodeLimits } from './DecodeLimits.ts';
import { checkDeclaredLength } from './checkDeclaredLength.ts';
import { decodeWavFrames, parseWavHeader, WavHeaderError } from '@mixroom/shared/wav';
import { ApiError } from '../http/ApiError.ts';

/**
 * Decodes WAV (PCM 8/16/24/32-bit, IEEE float 32/64-bit, plain or WAVE_FORMAT_EXTENSIBLE;
 * sniffAudioFormat refuses RF64). The header is walked by shared/wav; this checks what neither it nor `wavefile`
 * does: that the data chunk is really all there (a cut-off upload parses "fine" otherwise)
 * and that the declared shape and length are accepted before any sample is decoded. The
 * data chunk's size is the declared length: the output is sized from it (after those
 * checks) and filled straight from the file's bytes by the bake's own sample decoder.
 */
export function decodeWav(bytes: Uint8Array, limits: DecodeLimits): DecodedAudio {
  let header: ReturnType<typeof parseWavHeader>;
  try {
    header = parseWavHeader(bytes);
  } catch (error) {
    if (!(error instanceof WavHeaderError)) throw error;
    if (error.problem === 'data-before-fmt') throw new ApiError('corrupt', 'The WAV file has no format (fmt) chunk.');
    if (error.problem === 'fmt-too-short') throw new ApiError('corrupt', 'The WAV file has a damaged format (fmt) chunk.');
    throw new ApiError('corrupt', `The WAV file could not be read: ${error.message}.`);
  }
  if ('pending' in header) {
    // The whole file is here: a header that is still pending never ends.
    if (header.cutChunk === 'fmt ') throw new ApiError('corrupt', 'The WAV file has a damaged format (fmt) chunk.');
    if (!header.sawFmt) throw new ApiError('corrupt', 'The WAV file has no format (fmt) chunk.');
    throw new ApiError('truncated', 'The WAV file has no audio data (no data chunk): it is truncated or damaged.');
  }
  const { formatTag, channels, sampleRate, blockAlign, bitsPerSample: bits, sampleFormat, dataOffset: dataAt, dataBytes: dataSize } = header;
  if (dataAt + dataSize > bytes.length) {
    const missing = dataAt + dataSize - bytes.length;
    throw new ApiError('truncated', `The WAV file is truncated: its audio data ends ${missing} bytes early.`);
  }
  if (sampleFormat === null) {
    throw new ApiError(
      'unsupported-format',
      `This WAV encoding (format ${formatTag}, ${bits}-bit) is not supported. Use PCM 16/24-bit or 32-bit float.`,
    );
  }
  const floatOk = sampleFormat === 'float32' || sampleFormat === 'float64';
  if (channels < 1 || sampleRate < 1 || blockAlign !== channels * (bits / 8)) {
    throw new ApiError('corrupt', 'The WAV format chunk is inconsistent (channels, rate or block size).');
  }
  limits.accept?.({ sampleRate, channels });
  const frames = Math.floor(dataSize / blockAlign);
  checkDeclaredLength(frames, sampleRate, channels, limits);

  // wavefile validates the container (chunk layout, fmt fields) without copying the samples;
  // they are unpacked here straight from the file's bytes: its own per-sample getSamples() is
  // ~20x slower on minute-long stems.
  try {
    new WaveFile().fromBuffer(bytes, false);
  } catch (cause) {
    throw new ApiError('corrupt', `The WAV file could not be read: ${(cause as Error).message}`, { cause });
  }
  const data = bytes.subarray(dataAt, dataAt + frames * blockAlign);
  if (data.length < frames * blockAlign) throw new ApiError('truncated', 'The WAV file is truncated: its audio data is incomplete.');
  const channelData = Array.from({ length: channels }, () => new Float32Array(frames));
  decodeWavFrames(data, sampleFormat, frames, channelData, 0);
  return {
    format: 'wav',
    encoding: floatOk ? `IEEE float ${bits}-bit` : `PCM ${bits}-bit`,
    bitDepth: bits,
    float: floatOk,
    sampleRate,
    channelData,
    frames,
  };
}
