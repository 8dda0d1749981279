import { createHash } from 'node:crypto';
import { analyzeStem } from './analyzeStem.ts';
import { checkStemShape } from './checkStemShape.ts';
import { decodeAudio } from './decodeAudio.ts';
import { encodePlaybackWav } from './encodePlaybackWav.ts';
import { encodeWaveformPeaks } from '@mixroom/shared/protocol';
import type { ProcessedStem, StemJob } from './ProcessedStem.ts';
import { ApiError } from '../http/ApiError.ts';

/**
 * Validates and analyses one uploaded file: hash, decode under the budget (refusing another
 * rate or more than two channels from the header), loudness, waveform peaks and, for a
 * non-WAV source, the playback WAV. Runs in a stem worker (stemWorker.ts); throws a
 * ApiError whose message names the file.
 */
export async function processStem(bytes: Uint8Array, job: StemJob): Promise<ProcessedStem> {
  const contentHash = createHash('sha256').update(bytes).digest('hex');
  let shapeError: unknown = null;
  const accept = (shape: { sampleRate: number; channels: number }): void => {
    try {
      checkStemShape(job.fileName, shape, job.sessionRate);
    } catch (error) {
      shapeError = error;
      throw error;
    }
  };
  const audio = await decodeAudio(bytes, { maxSeconds: job.maxSeconds, accept }).catch((e: unknown) => {
    // The shape check's messages already name the file; the decoders' do not.
    if (e instanceof ApiError && e !== shapeError) throw new ApiError(e.code, `"${job.fileName}": ${e.message}`, { cause: e });
    throw e;
  });
  // The decoders report the header's shape; what they produced must agree (an MP3 is always two channels).
  checkStemShape(job.fileName, { sampleRate: audio.sampleRate, channels: audio.channelData.length }, job.sessionRate);
  const { loudness, peaks } = analyzeStem(audio);
  return {
    contentHash,
    byteLength: bytes.byteLength,
    format: audio.format,
    encoding: audio.encoding,
    bitDepth: audio.bitDepth,
    float: audio.float,
    sampleRate: audio.sampleRate,
    channels: audio.channelData.length,
    frames: audio.frames,
    loudness,
    peaks: encodeWaveformPeaks(peaks),
    playbackWav: audio.format === 'wav' ? null : encodePlaybackWav(audio),
  };
}
