import { NATIVE_CODEC_SETTINGS, type NativeCodecChoice, type NativeCodecSetting } from './nativeCodecChoice.ts';

/** `FLAC_ENCODER`: which libFLAC encodes the FLAC. `auto` takes the native one when it is installed. */
export const FLAC_ENCODER_SETTINGS = NATIVE_CODEC_SETTINGS;
export type FlacEncoderSetting = NativeCodecSetting;

/**
 * The FLAC encoder a bake uses, resolved once from the setting (plain data: it crosses to an
 * encoder thread): Debian's `flac` 1.4 in a child process, or libFLAC compiled to wasm
 * (libflacjs). Both write 24-bit FLAC at level 4 from the same dithered integers.
 */
export type FlacEncoderChoice = NativeCodecChoice;
