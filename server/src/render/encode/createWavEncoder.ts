import { BakeError } from '../BakeError.ts';
import type { MasterEncoder, MasterEncoderOptions } from './MasterEncoder.ts';
import { TpdfQuantizer } from './TpdfQuantizer.ts';

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
  const quantizer = new TpdfQuantizer(bits, options.ditherSeed);
  const ints = new Int32Array(maxBlockFrames * channels);
  let headerWritten = false;

  function header(): Uint8Array {
    const buf = new Uint8Array(44);
    const v = new DataView(buf.buffer);
    const str = (at: number, s: string): void => {
      for (let i = 0; i < 4; i++) buf[at + i] = s.charCodeAt(i);
    };
    str(0, 'RIFF');
    v.setUint32(4, 36 + dataBytes, true);
    str(8, 'WAVE');
    str(12, 'fmt ');
    v.setUint32(16, 16, true);
    v.setUint16(20, 1, true); // PCM
    v.setUint16(22, channels, true);
    v.setUint32(24, sampleRate, true);
    v.setUint32(28, sampleRate * channels * bytesPerSample, true);
    v.setUint16(32, channels * bytesPerSample, true);
    v.setUint16(34, bits, true);
    str(36, 'data');
    v.setUint32(40, dataBytes, true);
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
      quantizer.quantize(block, frames, ints);
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
