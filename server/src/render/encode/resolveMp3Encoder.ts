import { execFile } from 'node:child_process';
import { BakeError } from '../BakeError.ts';
import type { Mp3EncoderChoice, Mp3EncoderSetting } from './Mp3Encoder.ts';

/** The native encoder looked for on the PATH. */
export const NATIVE_LAME_COMMAND = 'lame';
/** The version the Info frame names and whose delay (576) it states. */
const NATIVE_LAME_VERSION = /LAME .*version 3\.100\b/;

let probing: Promise<boolean> | null = null;

/** Whether Debian's LAME 3.100 answers on the PATH; asked once per process. */
export function nativeLameAvailable(): Promise<boolean> {
  probing ??= new Promise<boolean>((resolve) => {
    execFile(NATIVE_LAME_COMMAND, ['--version'], { timeout: 10_000, maxBuffer: 64 * 1024 }, (err, stdout) => resolve(!err && NATIVE_LAME_VERSION.test(stdout)));
  });
  return probing;
}

/**
 * The MP3 encoder a setting names: `wasm` the built-in one; `native` LAME 3.100 on the PATH
 * (a typed error when it is missing); `auto` native when found, else wasm.
 */
export async function resolveMp3Encoder(setting: Mp3EncoderSetting): Promise<Mp3EncoderChoice> {
  if (setting === 'wasm') return { kind: 'wasm' };
  if (await nativeLameAvailable()) return { kind: 'native', command: NATIVE_LAME_COMMAND };
  if (setting === 'auto') return { kind: 'wasm' };
  throw new BakeError('encoder', `MP3_ENCODER is "native", but no LAME 3.100 answers as \`${NATIVE_LAME_COMMAND}\` on the PATH: install it (apt-get install lame) or set MP3_ENCODER=auto.`);
}
