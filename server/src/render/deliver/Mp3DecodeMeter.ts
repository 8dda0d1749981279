import { LoudnessMeter } from '@mixroom/shared/dsp/loudness';
import type { FormatMeasurement } from '@mixroom/shared/review';
import { MPEGDecoder } from 'mpg123-decoder';
import { BakeError } from '../BakeError.ts';
import { LAME_ENCODER_DELAY } from '../encode/mp3/Mp3InfoTagger.ts';
import { MP3_FRAME_SAMPLES } from '../encode/mp3/lameInfoFrame.ts';
import type { NativeCodecChoice } from '../encode/nativeCodecChoice.ts';
import { NativeCodecProcess } from '../encode/NativeCodecProcess.ts';
import { WasmTruePeakMeter } from '../simd/WasmTruePeakMeter.ts';
import { toFormatMeasurement } from './toFormatMeasurement.ts';

/** LAME's encoder delay plus the Layer III decoder's own (528 + 1): where the input's first frame comes out. */
export const MP3_DECODED_OFFSET = LAME_ENCODER_DELAY + 529;
/** The native decoder's CPU-time limit: a fixed allowance plus this share of the song (it needs ~0.2 %). */
const CPU_SECONDS_BASE = 30;
const CPU_SECONDS_PER_SECOND = 0.5;
/** Its address-space limit (KiB): mpg123 needs a few MB. */
const ADDRESS_SPACE_KIB = 512 * 1024;
/** Planar scratch of the native decoder's output, in frames. */
const SCRATCH_FRAMES = 16384;
/**
 * The meter is fed blocks of exactly this many frames (the last one shorter): its sums depend
 * in their last bits on how the audio is cut, and the decoders' pieces follow the pipe's timing.
 */
const METER_BLOCK_FRAMES = 16384;

export interface Mp3DecodeMeterOptions {
  sampleRate: number;
  channels: number;
  /** The master's length: the decoded length must be exactly this. */
  totalFrames: number;
  /** Which mpg123 decodes (default: the wasm build in this thread). */
  decoder?: NativeCodecChoice | undefined;
  /** A native decoder's process started (`running`) or ended: the bake's owner kills it on cancel. */
  onChild?: ((pid: number, running: boolean) => void) | undefined;
  /** Native: failed when it writes nothing for this long while it has input (ms; default 60 s). */
  stallMs?: number | undefined;
}

/**
 * Measures an MP3 as a listener hears it: its audio frames (the tag frame left out) are
 * decoded as they are produced (mpg123: Debian's in a child process, or its wasm build in
 * this thread), the decoder output is cut to the input's frames exactly as a gapless player
 * cuts it (delay and padding off), and metered. Lossy coding moves peaks, so this true peak
 * can exceed the master's; decoded samples at or past full scale count as clipped (a
 * fixed-point output clips them).
 */
export class Mp3DecodeMeter {
  private readonly meter: LoudnessMeter;
  private skip = MP3_DECODED_OFFSET;
  private measured = 0;
  private clipped = 0;
  private decoder: Mp3MeterDecoder | null = null;
  private readonly block: Float32Array[];
  private blockFrames = 0;

  private constructor(
    private readonly channels: number,
    private readonly totalFrames: number,
    sampleRate: number,
  ) {
    this.meter = new LoudnessMeter(sampleRate, channels, { truePeakMeter: () => new WasmTruePeakMeter() });
    this.block = Array.from({ length: channels }, () => new Float32Array(METER_BLOCK_FRAMES));
  }

  static async create(options: Mp3DecodeMeterOptions): Promise<Mp3DecodeMeter> {
    const meter = new Mp3DecodeMeter(options.channels, options.totalFrames, options.sampleRate);
    const measure = (planar: readonly Float32Array[], frames: number): void => meter.measure(planar, frames);
    meter.decoder = options.decoder?.kind === 'native' ? await nativeDecoder(options, options.decoder.command, measure) : await wasmDecoder(options.channels, measure);
    return meter;
  }

  /** Feeds audio frame bytes in stream order (chunks cut anywhere; kept until decoded). */
  push(bytes: Uint8Array): void {
    if (bytes.length > 0) this.decoder!.push(bytes);
  }

  /** Resolves when the decoder can take more (a native one's pipe is not too full). */
  drained(): Promise<void> {
    return this.decoder!.drained();
  }

  /** After the last `push`: the measurement; the decoded length must be the input's exactly. */
  async result(gainDb: number): Promise<FormatMeasurement> {
    await this.decoder!.end();
    this.flush();
    if (this.measured !== this.totalFrames) {
      throw new BakeError('encoder', `The MP3 decodes to ${this.measured} frames, not the master's ${this.totalFrames}.`);
    }
    return toFormatMeasurement(this.meter.summary(), this.clipped, gainDb);
  }

  dispose(): void {
    this.decoder?.dispose();
  }

  /** Decoded planar output, in order: the decoder's delay skipped, cut at the master's length. */
  private measure(planar: readonly Float32Array[], frames: number): void {
    const from = Math.min(this.skip, frames);
    this.skip -= from;
    const to = Math.min(frames, from + this.totalFrames - this.measured);
    if (to <= from) return;
    let clipped = 0;
    for (let at = from; at < to; ) {
      const n = Math.min(to - at, METER_BLOCK_FRAMES - this.blockFrames);
      for (let c = 0; c < this.channels; c++) {
        const v = planar[c]!.subarray(at, at + n);
        for (let i = 0; i < n; i++) if (!(Math.abs(v[i]!) < 1)) clipped++;
        this.block[c]!.set(v, this.blockFrames);
      }
      this.blockFrames += n;
      at += n;
      if (this.blockFrames === METER_BLOCK_FRAMES) this.flush();
    }
    this.clipped += clipped;
    this.measured += to - from;
  }

  private flush(): void {
    if (this.blockFrames === 0) return;
    this.meter.process(this.block.map((b) => b.subarray(0, this.blockFrames)));
    this.blockFrames = 0;
  }
}

interface Mp3MeterDecoder {
  push(bytes: Uint8Array): void;
  drained(): Promise<void>;
  /** The input ended: resolves once every decoded frame was measured. */
  end(): Promise<void>;
  dispose(): void;
}

/** mpg123 in wasm, in this thread: each push decodes at once. */
async function wasmDecoder(channels: number, measure: (planar: readonly Float32Array[], frames: number) => void): Promise<Mp3MeterDecoder> {
  const decoder = new MPEGDecoder({ enableGapless: false });
  await decoder.ready;
  return {
    push(bytes) {
      const out = decoder.decode(bytes);
      if (out.errors.length > 0) throw new BakeError('encoder', `The MP3 does not decode: ${out.errors[0]!.message}.`);
      if (out.samplesDecoded > 0) measure(out.channelData.slice(0, channels), out.samplesDecoded);
    },
    drained: () => Promise.resolve(),
    end: () => Promise.resolve(),
    dispose: () => decoder.free(),
  };
}

/**
 * Debian's mpg123 in a child process: the MP3 in on stdin, float32 PCM out on stdout (the
 * decoder's own delay and padding kept, as the wasm one is asked to), deinterleaved here.
 * Limits, stall and kill as for the native encoders ({@link NativeCodecProcess}).
 */
async function nativeDecoder(options: Mp3DecodeMeterOptions, command: string, measure: (planar: readonly Float32Array[], frames: number) => void): Promise<Mp3MeterDecoder> {
  const { channels, sampleRate, totalFrames } = options;
  const frameBytes = 4 * channels;
  // Whole output frames are taken from an aligned buffer; a frame cut between chunks waits there.
  const buffer = new ArrayBuffer(SCRATCH_FRAMES * frameBytes);
  const bytes = new Uint8Array(buffer);
  const floats = new Float32Array(buffer);
  const planar = Array.from({ length: channels }, () => new Float32Array(SCRATCH_FRAMES));
  let held = 0;
  const take = (chunk: Buffer): void => {
    for (let at = 0; at < chunk.length; ) {
      const n = Math.min(bytes.length - held, chunk.length - at);
      bytes.set(chunk.subarray(at, at + n), held);
      held += n;
      at += n;
      const frames = Math.floor(held / frameBytes);
      if (frames === 0) continue;
      for (let c = 0; c < channels; c++) {
        const out = planar[c]!;
        for (let i = 0, j = c; i < frames; i++, j += channels) out[i] = floats[j]!;
      }
      measure(planar, frames);
      const used = frames * frameBytes;
      bytes.copyWithin(0, used, held);
      held -= used;
    }
  };
  const codec = await NativeCodecProcess.start({
    role: 'MP3 decoder',
    command,
    args: ['--no-gapless', '--quiet', '--encoding', 'f32', '--stdout', '-'],
    cpuSeconds: CPU_SECONDS_BASE + (CPU_SECONDS_PER_SECOND * totalFrames) / sampleRate,
    addressSpaceKib: ADDRESS_SPACE_KIB,
    // The delay, the padding and one frame of slack more than the master.
    maxOutputBytes: (totalFrames + MP3_DECODED_OFFSET + 3 * MP3_FRAME_SAMPLES) * frameBytes,
    maxOutputReason: 'the song decodes to',
    stallMs: options.stallMs,
    onOutput: take,
    onChild: options.onChild,
  });
  let last: Promise<void> = Promise.resolve();
  return {
    push(input) {
      last = codec.write(input);
      last.catch(() => {}); // its failure is end()'s
    },
    drained: () => last,
    async end() {
      await codec.end();
      if (held !== 0) throw new BakeError('encoder', `The MP3 decoder's output ended inside a frame (${held} bytes left).`);
    },
    dispose: () => codec.dispose(),
  };
}
