import { createHash } from 'node:crypto';
import { BakeError } from '../BakeError.ts';
import type { MasterEncoderOptions } from './MasterEncoder.ts';
import { NativeCodecProcess } from './NativeCodecProcess.ts';
import { ownQuantizer } from './TpdfQuantizer.ts';

/** STREAMINFO sits right after "fLaC" and its 4-byte block header; its MD5 is at byte 18 of it. */
const MD5_AT = 8 + 18;
/** The same level as the wasm encoder (see createFlacEncoder.ts for why 4). */
const COMPRESSION_LEVEL = 4;
/** CPU-time limit: a fixed allowance plus this share of the song's duration (it needs ~0.3 %). */
const CPU_SECONDS_BASE = 30;
const CPU_SECONDS_PER_SECOND = 0.5;
/** Address-space limit (KiB): flac needs a few MB. */
const ADDRESS_SPACE_KIB = 512 * 1024;

export interface NativeFlacEncoderOptions extends MasterEncoderOptions {
  /** The file's bytes in order, as the child writes them. A throw fails the encoder. */
  onBytes: (chunk: Uint8Array) => void;
  /** The encoder's process started (`running`) or ended: the bake's owner kills it on cancel. */
  onChild?: ((pid: number, running: boolean) => void) | undefined;
  /** Failed when it writes nothing for this long while it has input (ms; default 60 s). */
  stallMs?: number | undefined;
}

/** FLAC from a child process: `encode` quantises and copies the block before its first await. */
export interface NativeFlacEncoder {
  encode(block: readonly Float32Array[], frames: number): Promise<void>;
  /** Ends the input; resolves once every byte went to `onBytes`. */
  finish(): Promise<void>;
  /** The MD5 of the samples over STREAMINFO's (after `finish`). */
  headerPatches(): { offset: number; bytes: Uint8Array }[];
  /** Kills the process; safe twice and after a failure. */
  dispose(): void;
}

/**
 * The reference `flac` 1.4 (Debian's) in a child process, at the wasm encoder's settings: 24
 * bits, level 4. The dithered integers (the very ones the WAV 24 gets) stream in on stdin as
 * raw little-endian 24-bit PCM and the FLAC streams out on stdout. Through a pipe `flac` can
 * state the length (told by `--input-size`) but cannot seek back to write the MD5 of the
 * samples, so we hash the same bytes it reads (libFLAC's MD5 is over exactly that packing)
 * and patch it in, as for the wasm encoder. Its min/max frame sizes stay 0, "unknown", which
 * the format allows. Limits, stall and kill as for the native LAME ({@link NativeCodecProcess}).
 */
export async function createNativeFlacEncoder(options: NativeFlacEncoderOptions, command: string): Promise<NativeFlacEncoder> {
  const { channels, sampleRate, totalFrames, maxBlockFrames } = options;
  const quantize = options.quantize ?? ownQuantizer(24, options.ditherSeed);
  const ints = new Int32Array(maxBlockFrames * channels);
  const inputBytes = totalFrames * channels * 3;
  const args = ['--force-raw-format', '--endian=little', '--sign=signed', `--channels=${channels}`, '--bps=24', `--sample-rate=${sampleRate}`];
  // flac refuses --input-size=0; without it an empty input is a valid stream of no samples
  // (a version of an empty mix bakes to one).
  if (inputBytes > 0) args.push(`--input-size=${inputBytes}`);
  // --no-md5-sum: it could not write its MD5 back through a pipe anyway (0.11 CPU-s of 0.47 on the bench master).
  args.push(`-${COMPRESSION_LEVEL}`, '--no-md5-sum', '--no-padding', '--no-seektable', '--silent', '--stdout', '-');
  const md5 = createHash('md5');
  let digest: Buffer | null = null;
  let inputFrames = 0;
  const codec = await NativeCodecProcess.start({
    role: 'FLAC encoder',
    command,
    args,
    cpuSeconds: CPU_SECONDS_BASE + (CPU_SECONDS_PER_SECOND * totalFrames) / sampleRate,
    addressSpaceKib: ADDRESS_SPACE_KIB,
    // Verbatim frames (incompressible audio) plus their headers, and the metadata.
    maxOutputBytes: Math.ceil(inputBytes * 1.02) + (1 << 20),
    maxOutputReason: '24-bit PCM can take for this song',
    stallMs: options.stallMs,
    onOutput: (chunk) => options.onBytes(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length)),
    onChild: options.onChild,
    quietStderr: /cannot write back|WARNING/,
  });
  // Packed buffers, reused once the pipe has taken them.
  const free: Buffer[] = [];
  return {
    async encode(block, frames) {
      if (frames > maxBlockFrames) throw new BakeError('encoder', `A block of ${frames} frames is larger than the encoder's ${maxBlockFrames}.`);
      if (inputFrames + frames > totalFrames) throw new BakeError('encoder', `The FLAC encoder was given more than the song's ${totalFrames} frames.`);
      quantize(block, frames, ints);
      options.onQuantized?.(ints, frames);
      const n = frames * channels;
      const spare = free.pop();
      const out = spare && spare.length >= n * 3 ? spare : Buffer.allocUnsafe(maxBlockFrames * channels * 3);
      for (let i = 0, j = 0; i < n; i++, j += 3) {
        const v = ints[i]!;
        out[j] = v & 0xff;
        out[j + 1] = (v >> 8) & 0xff;
        out[j + 2] = (v >> 16) & 0xff;
      }
      const bytes = out.subarray(0, n * 3);
      md5.update(bytes);
      inputFrames += frames;
      await codec.write(bytes, () => free.push(out));
    },
    async finish() {
      // flac was told the length: a short input is refused (unless the child failed first: that error wins).
      if (inputFrames !== totalFrames) codec.fail(new BakeError('encoder', `The FLAC encoder got ${inputFrames} frames, not the song's ${totalFrames}.`));
      await codec.end();
      digest = md5.digest();
    },
    headerPatches: () => (digest ? [{ offset: MD5_AT, bytes: new Uint8Array(digest) }] : []),
    dispose: () => codec.dispose(),
  };
}
