import { WAV_HEADER_BYTES, writeWavHeader } from '@mixroom/shared/wav';
import { BakeError } from '../BakeError.ts';
import type { MasterEncoder, MasterEncoderOptions } from './MasterEncoder.ts';
import { ownQuantizer } from './TpdfQuantizer.ts';

/**
 * Streams a PCM WAV (16 or 24 bit, TPDF-dithered). The length is known from the plan, so the
 * header is exact from the first byte and nothing is rewritten later.
 */
export function createWavEncoder(bits: 16 | 24, options: MasterEncoderOptions): MasterEncoder {
  const { channels, sampleRate, totalFrames, maxBlockFrames } = options;
  const bytesPerSample = bits / 8;
  const dataBytes = totalFrames * channels * bytesPerSample;
  if (dataBytes + 36 > 0xffffffff) {
    throw new RangeError(`The mix is too long for a WAV file (${dataBytes} bytes of audio; the limit is 4 GiB).`);
  }
  const quantize = options.quantize ?? ownQuantizer(bits, options.ditherSeed);
  const ints = new Int32Array(maxBlockFrames * channels);
  let headerWritten = false;

  function header(): Uint8Array {
    const buf = new Uint8Array(WAV_HEADER_BYTES);
    writeWavHeader(buf, { channels, sampleRate, bitsPerSample: bits, float: false, dataBytes });
    return buf;
  }

  return {
    encode(block, frames) {
      if (frames > maxBlockFrames) throw new BakeError('encoder', `A block of ${frames} frames is larger than the encoder's ${maxBlockFrames}.`);
      const out: Uint8Array[] = [];
      if (!headerWritten) {
        out.push(header());
        headerWritten = true;
      }
      quantize(block, frames, ints);
      options.onQuantized?.(ints, frames);
      const n = frames * channels;
      const bytes = new Uint8Array(n * bytesPerSample);
      if (bits === 16) {
        const view = new Int16Array(bytes.buffer);
        for (let i = 0; i < n; i++) view[i] = ints[i]!;
      } else {
        for (let i = 0, p = 0; i < n; i++, p += 3) {
          const s = ints[i]!;
          bytes[p] = s & 0xff;
          bytes[p + 1] = (s >> 8) & 0xff;
          bytes[p + 2] = (s >> 16) & 0xff;
        }
      }
      out.push(bytes);
      return out;
    },
    finish() {
      return headerWritten ? [] : [header()];
    },
    headerPatches() {
      return [];
    },
    dispose() {},
  };
}
