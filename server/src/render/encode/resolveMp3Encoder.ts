import type { Mp3EncoderChoice, Mp3EncoderSetting } from './Mp3Encoder.ts';
import { nativeCodecResolver } from './nativeCodecChoice.ts';

/** The native encoder looked for on the PATH. */
export const NATIVE_LAME_COMMAND = 'lame';

// The version the Info frame names and whose delay (576) it states.
const lame = nativeCodecResolver({ setting: 'MP3_ENCODER', command: NATIVE_LAME_COMMAND, versionArg: '--version', version: /LAME .*version 3\.100\b/, name: 'LAME 3.100', aptPackage: 'lame' });

/** Whether Debian's LAME 3.100 answers on the PATH; asked once per process. */
export const nativeLameAvailable: () => Promise<boolean> = lame.available;

/**
 * The MP3 encoder a setting names: `wasm` the built-in one; `native` LAME 3.100 on the PATH
 * (a typed error when it is missing); `auto` native when found, else wasm.
 */
export const resolveMp3Encoder: (setting: Mp3EncoderSetting) => Promise<Mp3EncoderChoice> = lame.resolve;
