import { execFile } from 'node:child_process';
import { BakeError } from '../BakeError.ts';

/** `auto|native|wasm` settings of the codecs that have a native build (MP3_ENCODER, FLAC_ENCODER, MP3_METER_DECODER). */
export const NATIVE_CODEC_SETTINGS = ['auto', 'native', 'wasm'] as const;
export type NativeCodecSetting = (typeof NATIVE_CODEC_SETTINGS)[number];
/** A codec resolved from its setting (plain data: it crosses to an encoder thread). */
export type NativeCodecChoice = { kind: 'wasm' } | { kind: 'native'; command: string };

export interface NativeCodecSpec {
  /** The setting's name, for the error: "FLAC_ENCODER". */
  setting: string;
  /** Binary looked for on the PATH, and the argument that prints its version. */
  command: string;
  versionArg: string;
  /** The version output it must match (the version whose options and output were checked). */
  version: RegExp;
  /** What the error calls it ("LAME 3.100") and the Debian package that installs it. */
  name: string;
  aptPackage: string;
}

/**
 * `resolve(setting)`: `wasm` the built-in build; `native` the binary on the PATH (a typed
 * error when it is missing); `auto` native when found, else wasm. `available()` asks the
 * binary once per process.
 */
export function nativeCodecResolver(spec: NativeCodecSpec): { available: () => Promise<boolean>; resolve: (setting: NativeCodecSetting) => Promise<NativeCodecChoice> } {
  let probing: Promise<boolean> | null = null;
  const available = (): Promise<boolean> =>
    (probing ??= new Promise<boolean>((resolve) => {
      execFile(spec.command, [spec.versionArg], { timeout: 10_000, maxBuffer: 64 * 1024 }, (err, stdout, stderr) => resolve(!err && spec.version.test(`${stdout}${stderr}`)));
    }));
  const resolve = async (setting: NativeCodecSetting): Promise<NativeCodecChoice> => {
    if (setting === 'wasm') return { kind: 'wasm' };
    if (await available()) return { kind: 'native', command: spec.command };
    if (setting === 'auto') return { kind: 'wasm' };
    throw new BakeError(
      'encoder',
      `${spec.setting} is "native", but no ${spec.name} answers as \`${spec.command}\` on the PATH: install it (apt-get install ${spec.aptPackage}) or set ${spec.setting}=auto.`,
    );
  };
  return { available, resolve };
}
