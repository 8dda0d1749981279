import type { DecodedAudio, StemFormat } from './DecodedAudio.ts';
import type { DecodeLimits } from './DecodeLimits.ts';
import { checkDeclaredLength } from './checkDeclaredLength.ts';
import { checkOggPages } from './checkOggPages.ts';
import { StemError } from './StemError.ts';

/** What the WASM Ogg decoders (`ogg-opus-decoder`, `@wasm-audio-decoders/ogg-vorbis`) share. */
export interface WasmOggDecoder {
  readonly ready: Promise<unknown>;
  decodeFile(bytes: Uint8Array): Promise<{
    errors: ReadonlyArray<{ message: string }>;
    samplesDecoded: number;
    sampleRate: number;
    channelData: Float32Array[];
  }>;
  free(): void;
}

/**
 * Decodes an Ogg file with one of the WASM decoders. They drop damaged pages silently, so the
 * page walk (`checkOggPages`) runs first; the decoder is freed whatever happens.
 */
export async function decodeOggWith(
  bytes: Uint8Array,
  limits: DecodeLimits,
  codec: { label: string; format: StemFormat; encoding: string; create: () => WasmOggDecoder },
): Promise<DecodedAudio> {
  checkOggPages(bytes, codec.label);
  const decoder = codec.create();
  try {
    await decoder.ready;
    const r = await decoder.decodeFile(bytes);
    if (r.errors.length > 0) throw new StemError('corrupt', `The ${codec.label} file is damaged: ${r.errors[0]!.message}.`);
    checkDeclaredLength(r.samplesDecoded, r.sampleRate, r.channelData.length, limits);
    return {
      format: codec.format,
      encoding: codec.encoding,
      bitDepth: null,
      float: false,
      sampleRate: r.sampleRate,
      channelData: r.channelData,
      frames: r.samplesDecoded,
    };
  } catch (error) {
    if (error instanceof StemError) throw error;
    throw new StemError('corrupt', `The ${codec.label} file could not be decoded: ${(error as Error).message}`, { cause: error });
  } finally {
    decoder.free();
  }
}
