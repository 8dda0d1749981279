import { LoudnessMeter } from '@mixroom/shared/dsp/loudness';
import type { FormatMeasurement } from '@mixroom/shared/review';
import { MPEGDecoder } from 'mpg123-decoder';
import { BakeError } from '../BakeError.ts';
import { LAME_ENCODER_DELAY } from '../encode/mp3/Mp3InfoTagger.ts';
import { WasmTruePeakMeter } from '../simd/WasmTruePeakMeter.ts';
import { toFormatMeasurement } from './toFormatMeasurement.ts';

/** LAME's encoder delay plus the Layer III decoder's own (528 + 1): where the input's first frame comes out. */
export const MP3_DECODED_OFFSET = LAME_ENCODER_DELAY + 529;

/**
 * Measures an MP3 as a listener hears it: its audio frames (the tag frame left out) are
 * decoded as they are produced (mpg123), the decoder output is cut to the input's frames
 * exactly as a gapless player cuts it (delay and padding off), and metered. Lossy coding
 * moves peaks, so this true peak can exceed the master's; decoded samples at or past full
 * scale count as clipped (a fixed-point output clips them).
 */
export class Mp3DecodeMeter {
  private readonly meter: LoudnessMeter;
  private skip = MP3_DECODED_OFFSET;
  private measured = 0;
  private clipped = 0;

  private constructor(
    private readonly decoder: MPEGDecoder,
    sampleRate: number,
    private readonly channels: number,
    private readonly totalFrames: number,
  ) {
    this.meter = new LoudnessMeter(sampleRate, channels, { truePeakMeter: () => new WasmTruePeakMeter() });
  }

  static async create(sampleRate: number, channels: number, totalFrames: number): Promise<Mp3DecodeMeter> {
    const decoder = new MPEGDecoder({ enableGapless: false });
    await decoder.ready;
    return new Mp3DecodeMeter(decoder, sampleRate, channels, totalFrames);
  }

  /** Feeds audio frame bytes in stream order (chunks cut anywhere). */
  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    const out = this.decoder.decode(bytes);
    if (out.errors.length > 0) throw new BakeError('encoder', `The MP3 does not decode: ${out.errors[0]!.message}.`);
    const from = Math.min(this.skip, out.samplesDecoded);
    this.skip -= from;
    const to = Math.min(out.samplesDecoded, from + this.totalFrames - this.measured);
    if (to <= from) return;
    const views = out.channelData.slice(0, this.channels).map((c) => c.subarray(from, to));
    let clipped = 0;
    for (const v of views) for (let i = 0; i < v.length; i++) if (!(Math.abs(v[i]!) < 1)) clipped++;
    this.clipped += clipped;
    this.meter.process(views);
    this.measured += to - from;
  }

  /** The measurement; the decoded length must be the input's exactly. */
  result(gainDb: number): FormatMeasurement {
    if (this.measured !== this.totalFrames) {
      throw new BakeError('encoder', `The MP3 decodes to ${this.measured} frames, not the master's ${this.totalFrames}.`);
    }
    return toFormatMeasurement(this.meter.summary(), this.clipped, gainDb);
  }

  dispose(): void {
    this.decoder.free();
  }
}
