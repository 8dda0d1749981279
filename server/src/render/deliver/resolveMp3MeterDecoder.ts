import { nativeCodecResolver, type NativeCodecChoice, type NativeCodecSetting } from '../encode/nativeCodecChoice.ts';

/** The native decoder looked for on the PATH. */
export const NATIVE_MPG123_COMMAND = 'mpg123';

// 1.25 or later: float output and --no-gapless as used here (Debian 12 ships 1.31.2).
const mpg123 = nativeCodecResolver({ setting: 'MP3_METER_DECODER', command: NATIVE_MPG123_COMMAND, versionArg: '--version', version: /^mpg123 1\.(?:2[5-9]|[3-9]\d)\./m, name: 'mpg123 1.25+', aptPackage: 'mpg123' });

/** Whether Debian's mpg123 answers on the PATH; asked once per process. */
export const nativeMpg123Available: () => Promise<boolean> = mpg123.available;

/**
 * The decoder the MP3's meter uses (`MP3_METER_DECODER`): `wasm` the built-in mpg123;
 * `native` `mpg123` on the PATH (a typed error when it is missing); `auto` native when found.
 */
export const resolveMp3MeterDecoder: (setting: NativeCodecSetting) => Promise<NativeCodecChoice> = mpg123.resolve;
