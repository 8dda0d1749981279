import type { FlacEncoderChoice, FlacEncoderSetting } from './FlacEncoder.ts';
import { nativeCodecResolver } from './nativeCodecChoice.ts';

/** The native encoder looked for on the PATH. */
export const NATIVE_FLAC_COMMAND = 'flac';

// 1.4 or later: the version whose options and output were checked (Debian 12 ships 1.4.2).
const flac = nativeCodecResolver({ setting: 'FLAC_ENCODER', command: NATIVE_FLAC_COMMAND, versionArg: '--version', version: /^flac (?:1\.(?:[4-9]|\d{2,})|[2-9])\./m, name: 'flac 1.4', aptPackage: 'flac' });

/** Whether the reference `flac` 1.4+ answers on the PATH; asked once per process. */
export const nativeFlacAvailable: () => Promise<boolean> = flac.available;

/**
 * The FLAC encoder a setting names: `wasm` the built-in libFLAC; `native` `flac` 1.4+ on the
 * PATH (a typed error when it is missing); `auto` native when found, else wasm.
 */
export const resolveFlacEncoder: (setting: FlacEncoderSetting) => Promise<FlacEncoderChoice> = flac.resolve;
