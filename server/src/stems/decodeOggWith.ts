import type { DecodedAudio, StemFormat } from './DecodedAudio.ts';
import { DecodeBuffer } from './DecodeBuffer.ts';
import { maxFramesAt, type DecodeLimits } from './DecodeLimits.ts';
import { checkDeclaredLength } from './checkDeclaredLength.ts';
import { checkOggPages } from './checkOggPages.ts';
import { ApiError } from '../http/ApiError.ts';

interface WasmDecoded {
  errors: ReadonlyArray<{ message: string }>;
  samplesDecoded: number;
  sampleRate: number;
  channelData: Float32Array[];
}

/** What the WASM Ogg decoders (`ogg-opus-decoder`, `@wasm-audio-decoders/ogg-vorbis`) share. */
export interface WasmOggDecoder {
  readonly ready: Promise<unknown>;
  /** Decodes what the given bytes complete (streaming). Async at runtime whatever the typings say. */
  decode(bytes: Uint8Array): WasmDecoded | Promise<WasmDecoded>;
  /** Decodes what is still buffered. */
  flush(): WasmDecoded | Promise<WasmDecoded>;
  free(): void;
}

/** The codec's identification header (first packet of the first page), as far as decoding needs it. */
export interface OggStreamHead {
  /** The rate the decoder outputs (Opus: always 48000). */
  readonly sampleRate: number;
  readonly channels: number;
  /** Samples at the start the decoder drops (Opus pre-skip): the end granule counts them. */
  readonly preSkip: number;
}

/**
 * Decodes an Ogg file with one of the WASM decoders, one page at a time. The decoders drop
 * damaged pages silently, so the page walk (`checkOggPages`) runs first and also gives the
 * pages and the declared length (the last page's granule position): a page decodes into at
 * most 255 packets, and the stream may not decode to more than it declares (a file of tiny
 * packets stamped with a small granule is refused as it passes it) nor to less. The decoder
 * is freed whatever happens.
 */
export async function decodeOggWith(
  bytes: Uint8Array,
  limits: DecodeLimits,
  codec: {
    label: string;
    format: StemFormat;
    encoding: string;
    readHead: (firstPacket: Uint8Array) => OggStreamHead;
    create: () => Promise<WasmOggDecoder>;
  },
): Promise<DecodedAudio> {
  const pages = checkOggPages(bytes, codec.label);
  const segments = bytes[26]!;
  const head = codec.readHead(bytes.subarray(27 + segments, pages.ends[0]));
  if (head.sampleRate < 1 || head.channels < 1) throw new ApiError('corrupt', 'The file declares no channels or no sample rate.');
  limits.accept?.({ sampleRate: head.sampleRate, channels: head.channels });
  const declared = pages.lastGranule === null ? null : pages.lastGranule - head.preSkip;
  if (declared !== null) checkDeclaredLength(declared, head.sampleRate, head.channels, limits);
  const out = new DecodeBuffer(head.channels, {
    declaredFrames: declared,
    maxFrames: maxFramesAt(limits, head.sampleRate),
    maxSeconds: limits.maxSeconds,
    label: codec.label,
  });
  const decoder = await codec.create();
  try {
    await decoder.ready;
    const take = (r: WasmDecoded): void => {
      if (r.errors.length > 0) throw new ApiError('corrupt', `The ${codec.label} file is damaged: ${r.errors[0]!.message}.`);
      if (r.samplesDecoded > 0 && r.sampleRate !== head.sampleRate) {
        throw new ApiError('corrupt', `The ${codec.label} file is damaged: it decodes at ${r.sampleRate} Hz, its header says ${head.sampleRate} Hz.`);
      }
      out.push(r.channelData, r.samplesDecoded);
    };
    let start = 0;
    for (const end of pages.ends) {
      take(await decoder.decode(bytes.subarray(start, end)));
      start = end;
    }
    take(await decoder.flush());
    if (declared !== null && out.frames !== declared) {
      throw new ApiError('corrupt', `The ${codec.label} file is damaged: it decodes to ${out.frames} samples but declares ${declared}.`);
    }
    checkDeclaredLength(out.frames, head.sampleRate, head.channels, limits);
    return {
      format: codec.format,
      encoding: codec.encoding,
      bitDepth: null,
      float: false,
      sampleRate: head.sampleRate,
      channelData: out.channelData(),
      frames: out.frames,
    };
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError('corrupt', `The ${codec.label} file could not be decoded: ${(error as Error).message}`, { cause: error });
  } finally {
    decoder.free();
  }
}
