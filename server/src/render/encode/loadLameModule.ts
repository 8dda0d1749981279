import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

let compiling: Promise<WebAssembly.Module> | null = null;

/**
 * LAME's wasm (wasm-media-encoders' build), compiled once per thread. `createMp3Encoder()`
 * compiles the module from its inline base64 for every encoder, and a kept encoder thread
 * makes one per bake (and per extra MP3 pass): 6 encoders cost 0.84 CPU-s that way, 0.62
 * from one compiled module, each instance then only instantiated.
 */
export function loadLameModule(): Promise<WebAssembly.Module> {
  compiling ??= readFile(createRequire(import.meta.url).resolve('wasm-media-encoders/wasm/mp3')).then((bytes) => WebAssembly.compile(bytes));
  compiling.catch(() => (compiling = null));
  return compiling;
}
