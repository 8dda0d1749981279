import type { Mp3Encoder, Mp3EncoderOptions } from './Mp3Encoder.ts';
import { lameInfoFrameBytes, MP3_FRAME_SAMPLES } from './mp3/lameInfoFrame.ts';
import { LAME_ENCODER_DELAY, Mp3InfoTagger } from './mp3/Mp3InfoTagger.ts';
import { NativeCodecProcess } from './NativeCodecProcess.ts';

/**
 * Float [-1, 1] to the 32-bit integers LAME reads. LAME scales integers by 2^-16 (full scale
 * 32768) but float input by 32767: this factor gives the native encoder the very level the
 * wasm one gets from the same floats (87 % of a 10 s excerpt's bytes come out identical).
 */
const TO_INT32 = 32767 * 65536;
/** The encoder's CPU-time limit: a fixed allowance plus this share of the song's duration (it needs ~1.5 %). */
const CPU_SECONDS_BASE = 30;
const CPU_SECONDS_PER_SECOND = 0.5;
/** Its address-space limit (KiB): LAME needs a few MB. */
const ADDRESS_SPACE_KIB = 512 * 1024;

/**
 * Debian's LAME 3.100 (`lame`) in a child process: the same encoder as the wasm build at the
 * same settings (320 kbit/s CBR, joint stereo, quality 3), natively compiled, so it takes
 * about 60 % of the wasm build's CPU. The master streams in on stdin as raw 32-bit PCM and the
 * frames stream out on stdout, no temp file; LAME's own tag is off (it cannot seek back in a
 * pipe) and {@link Mp3InfoTagger} writes the Info frame, as for the wasm build. The process
 * runs under a CPU-time and address-space limit (`ulimit` in the shell that execs it), its
 * output is bounded by what 320 kbit/s allows for the song, and it is failed when it stalls;
 * each failure is a typed error naming what went wrong, and `dispose` kills it
 * ({@link NativeCodecProcess}, shared with the native FLAC encoder and MP3 decoder).
 */
export async function createNativeMp3Encoder(options: Mp3EncoderOptions, command: string): Promise<Mp3Encoder> {
  const { sampleRate, channels, totalFrames, onBytes } = options;
  const args = ['-r', '-s', String(sampleRate / 1000), '--bitwidth', '32', '--signed', '--little-endian', '-m', channels === 1 ? 'm' : 'j'];
  args.push('-b', '320', '--cbr', '-q', '3', '-t', '--noreplaygain', '--quiet', '-', '-');
  const tagger = new Mp3InfoTagger(sampleRate);
  let inputFrames = 0;
  const codec = await NativeCodecProcess.start({
    role: 'MP3 encoder',
    command,
    args,
    cpuSeconds: CPU_SECONDS_BASE + (CPU_SECONDS_PER_SECOND * totalFrames) / sampleRate,
    addressSpaceKib: ADDRESS_SPACE_KIB,
    maxOutputBytes: (Math.ceil((totalFrames + LAME_ENCODER_DELAY) / MP3_FRAME_SAMPLES) + 2) * (lameInfoFrameBytes(sampleRate) + 1),
    maxOutputReason: '320 kbit/s allows for this song',
    stallMs: options.stallMs,
    onOutput: (chunk) => onBytes(tagger.wrap(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length))),
    onChild: options.onChild,
    quietStderr: /libsndfile|Compile without/,
  });
  // Interleaved integer buffers, reused once the pipe has taken them.
  const free: Int32Array[] = [];
  return {
    choice: { kind: 'native', command },
    async encode(block, frames) {
      const ints = free.pop() ?? new Int32Array(frames * channels);
      const out = ints.length >= frames * channels ? ints : new Int32Array(frames * channels);
      for (let c = 0; c < channels; c++) {
        const ch = block[c]!;
        for (let i = 0, j = c; i < frames; i++, j += channels) {
          const x = ch[i]!;
          // NaN becomes 0; the writer has clipped already, this only keeps the integer in range.
          out[j] = Math.round((x > 1 ? 1 : x < -1 ? -1 : x === x ? x : 0) * TO_INT32);
        }
      }
      inputFrames += frames;
      await codec.write(new Uint8Array(out.buffer, 0, frames * channels * 4), () => free.push(out));
    },
    finish: () => codec.end(),
    headerPatches: () => tagger.headerPatches(inputFrames),
    dispose: () => codec.dispose(),
  };
}
