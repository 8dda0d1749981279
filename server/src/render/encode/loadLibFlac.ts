import { createRequire } from 'node:module';
import type * as FlacModule from 'libflacjs/dist/libflac.js';

export type LibFlac = typeof FlacModule;

let loading: Promise<LibFlac> | null = null;

/**
 * Loads libFLAC (libflacjs, the reference encoder compiled to wasm) once per thread.
 * Its emscripten loader prefers `fetch` whenever it exists, and Node 18+ has one that
 * cannot read a file path, so we hide it for the synchronous part of the load; the loader
 * then reads the .wasm with fs. (The asm.js build needs no trick but encodes ~6x slower.)
 */
export function loadLibFlac(): Promise<LibFlac> {
  loading ??= new Promise<LibFlac>((resolve, reject) => {
    const require = createRequire(import.meta.url);
    const savedFetch = globalThis.fetch;
    let flac: LibFlac;
    try {
      (globalThis as { fetch?: unknown }).fetch = undefined;
      flac = (require('libflacjs') as (variant: string) => LibFlac)('wasm');
    } catch (err) {
      reject(err as Error);
      return;
    } finally {
      globalThis.fetch = savedFetch;
    }
    if (flac.isReady()) resolve(flac);
    else flac.on('ready', () => resolve(flac));
  });
  return loading;
}
