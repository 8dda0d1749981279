import type { FormatMeasurement } from '@mixroom/shared/review';
import { cancelledError } from '../BakeError.ts';
import { BakeFileSink } from './BakeFileSink.ts';
import { createMp3Encoder } from '../encode/createMp3Encoder.ts';
import type { Mp3Encoder } from '../encode/Mp3Encoder.ts';
import { lameInfoFrameBytes } from '../encode/mp3/lameInfoFrame.ts';
import type { FormatWriter, FormatWriterOptions } from './FormatWriter.ts';
import { MasterSpool } from './MasterSpool.ts';
import { Mp3DecodeMeter } from './Mp3DecodeMeter.ts';

/** Encodes at most this many times; a file still over the ceiling then is kept and reported. */
export const MP3_MAX_PASSES = 4;
/** Below the ceiling by this much more than the measured excess on a new pass: lossy peaks do not scale exactly with gain. */
export const MP3_RETRY_MARGIN_DB = 0.1;

/**
 * Gain of the first MP3 encoding. A limited master sits at its ceiling, and LAME at 320
 * kbit/s put the decoded true peak 0.2-0.5 dB above the master's on the demo song driven
 * 0, 6 and 12 dB into a -1 dBTP ceiling (and +0.34 dB on the song in issue 14): starting
 * 0.5 dB down, each of those fitted in one pass, where starting at 0 took two or three
 * (each pass re-encodes and re-decodes the whole song). An unlimited master usually has
 * headroom, so it starts at unity and only a master near 0 dBTP is encoded again.
 */
export function mp3StartGainDb(limited: boolean): number {
  return limited ? -0.5 : 0;
}

/** One encoding of the master at one gain, decoded and metered as it goes. */
interface Mp3Pass {
  gainDb: number;
  encoder: Mp3Encoder;
  meter: Mp3DecodeMeter;
  /** Placeholder tag-frame bytes still to keep from the meter. */
  skip: number;
  scaled: Float32Array[];
  /** The file writes of this pass's bytes, in order. */
  written: Promise<void>;
  /** Bytes not yet handed to the file (written in batches). */
  pending: Uint8Array[];
  pendingBytes: number;
}

/**
 * The encoder's bytes go to the file in batches of this size: the native LAME writes ~4 KiB at
 * a time (2200 pieces for 4 minutes), and each file write is a trip through libuv's pool.
 */
const FILE_BATCH_BYTES = 256 * 1024;

/**
 * MP3 320 held under the true-peak ceiling after decoding. The first pass encodes the master
 * as it streams (and keeps it in a {@link MasterSpool}), decoding its own output to measure
 * what a listener gets. If that true peak is above the ceiling, the file is encoded again
 * from the spool with the gain lowered by the measured excess plus {@link MP3_RETRY_MARGIN_DB},
 * until it fits (at most {@link MP3_MAX_PASSES} passes; the gain used is recorded). The
 * encoder is the native LAME or its wasm build (`options.mp3Encoder`); the bytes come back
 * as it makes them, so the meter and the file follow it.
 */
export async function createMp3FormatWriter(options: FormatWriterOptions): Promise<FormatWriter> {
  const { sampleRate, channels, totalFrames, maxBlockFrames, ceilingDb } = options;
  const tagBytes = lameInfoFrameBytes(sampleRate);
  const spool = await MasterSpool.create(channels, maxBlockFrames, options.tmpDir);
  let sink: BakeFileSink | null = null;
  let pass: Mp3Pass | null = null;
  const startPass = async (gainDb: number): Promise<Mp3Pass> => {
    const meter = await Mp3DecodeMeter.create({ sampleRate, channels, totalFrames, decoder: options.mp3MeterDecoder, onChild: options.onChild });
    const p: Mp3Pass = {
      gainDb,
      encoder: null!,
      meter,
      skip: tagBytes,
      scaled: Array.from({ length: channels }, () => new Float32Array(maxBlockFrames)),
      written: Promise.resolve(),
      pending: [],
      pendingBytes: 0,
    };
    try {
      p.encoder = await createMp3Encoder({
        sampleRate,
        channels,
        totalFrames,
        encoder: options.mp3Encoder ?? { kind: 'wasm' },
        onBytes: (chunks) => keep(p, chunks),
        ...(options.onChild ? { onChild: options.onChild } : {}),
      });
    } catch (err) {
      meter.dispose();
      throw err;
    }
    return p;
  };
  const endPass = (): void => {
    pass?.encoder?.dispose();
    pass?.meter.dispose();
    pass = null;
  };
  /**
   * Encodes one block at the pass's gain (the encoder copies it before this returns). The
   * master is clipped at full scale first, as the PCM files hold it: the MP3 is that master
   * at a gain, never a version of it with peaks the WAV does not have.
   */
  const encode = (p: Mp3Pass, block: readonly Float32Array[], frames: number): Promise<void> => {
    const g = 10 ** (p.gainDb / 20);
    const input = p.scaled.map((out, c) => {
      const ch = block[c]!;
      for (let i = 0; i < frames; i++) {
        const x = ch[i]!;
        out[i] = (x > 1 ? 1 : x < -1 ? -1 : x) * g;
      }
      return out.subarray(0, frames);
    });
    return p.encoder.encode(input, frames);
  };
  /** Meters the encoder's bytes (the placeholder frame left out) and queues them for the file, in order. */
  const keep = (p: Mp3Pass, chunks: Uint8Array[]): void => {
    for (const chunk of chunks) {
      const from = Math.min(p.skip, chunk.length);
      p.skip -= from;
      p.meter.push(chunk.subarray(from));
      p.pending.push(chunk);
      p.pendingBytes += chunk.length;
    }
    if (p.pendingBytes >= FILE_BATCH_BYTES) flush(p);
  };
  /** Hands the queued bytes to the file as one write, after the writes before it. */
  const flush = (p: Mp3Pass): void => {
    if (p.pending.length === 0) return;
    const batch = Buffer.concat(p.pending.splice(0));
    p.pendingBytes = 0;
    p.written = p.written.then(() => sink!.write([batch]));
    p.written.catch(() => {}); // awaited by write() and finish()
  };
  /** Everything of the pass written: the encoder finished and its bytes are on disk. */
  const complete = async (p: Mp3Pass): Promise<FormatMeasurement> => {
    await p.encoder.finish();
    flush(p);
    await p.written;
    return await p.meter.result(p.gainDb);
  };
  try {
    sink = await BakeFileSink.create('mp3', options.tmpDir);
    pass = await startPass(options.startGainDb ?? 0);
  } catch (err) {
    endPass();
    await sink?.discard();
    await spool.discard();
    throw err;
  }
  const fileSink: BakeFileSink = sink;

  return {
    format: 'mp3',
    write(block, frames) {
      const p = pass!;
      const spooled = spool.append(block, frames);
      const encoded = encode(p, block, frames);
      return Promise.all([spooled, encoded, p.written, p.meter.drained()]).then(() => undefined);
    },
    async finish(signal) {
      let p = pass!;
      let measurement = await complete(p);
      for (let n = 1; n < MP3_MAX_PASSES && measurement.truePeakDb !== null && measurement.truePeakDb > ceilingDb; n++) {
        if (signal.aborted) throw cancelledError(signal);
        const gainDb = p.gainDb - (measurement.truePeakDb - ceilingDb) - MP3_RETRY_MARGIN_DB;
        endPass();
        await fileSink.restart();
        options.onPass?.(n + 1, gainDb);
        pass = p = await startPass(gainDb);
        for await (const { channels: block, frames } of spool.read()) {
          if (signal.aborted) throw cancelledError(signal);
          await encode(p, block, frames);
          await p.written;
          await p.meter.drained();
        }
        measurement = await complete(p);
      }
      const file = await fileSink.seal(p.encoder.headerPatches());
      endPass();
      // The thread may be kept for another bake: nothing of this one stays open.
      await spool.discard();
      return { file, measurement };
    },
    async discard() {
      endPass();
      await Promise.all([fileSink.discard(), spool.discard()]);
    },
  };
}
