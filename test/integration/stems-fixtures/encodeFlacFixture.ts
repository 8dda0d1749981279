import { createRequire } from 'node:module';

type LibFlac = {
  isReady(): boolean;
  on(event: 'ready', cb: () => void): void;
  create_libflac_encoder(rate: number, channels: number, bps: number, level: number, total: number, verify: boolean, block: number): number;
  init_encoder_stream(enc: number, write: (data: Uint8Array, n: number) => void, meta: (m: unknown) => void): number;
  FLAC__stream_encoder_process_interleaved(enc: number, data: Int32Array, frames: number): boolean;
  FLAC__stream_encoder_finish(enc: number): boolean;
  FLAC__stream_encoder_delete(enc: number): void;
};

let loading: Promise<LibFlac> | null = null;
function loadFlac(): Promise<LibFlac> {
  loading ??= new Promise((resolve) => {
    const require = createRequire(import.meta.url);
    // The emscripten loader prefers fetch(), which cannot read a file path in Node.
    const saved = globalThis.fetch;
    (globalThis as { fetch?: unknown }).fetch = undefined;
    let flac: LibFlac;
    try {
      flac = (require('libflacjs') as (v: string) => LibFlac)('wasm');
    } finally {
      globalThis.fetch = saved;
    }
    if (flac.isReady()) resolve(flac);
    else flac.on('ready', () => resolve(flac));
  });
  return loading;
}

/** A FLAC file made by the reference libFLAC encoder (libflacjs). */
export async function encodeFlacFixture(channels: Float32Array[], sampleRate: number, bits: 16 | 24): Promise<Uint8Array> {
  const Flac = await loadFlac();
  const frames = channels[0]!.length;
  const enc = Flac.create_libflac_encoder(sampleRate, channels.length, bits, 5, frames, false, 0);
  const chunks: Uint8Array[] = [];
  Flac.init_encoder_stream(enc, (d, n) => chunks.push(d.slice(0, n)), () => {});
  const full = 2 ** (bits - 1);
  const ints = new Int32Array(frames * channels.length);
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < channels.length; c++) {
      ints[i * channels.length + c] = Math.max(-full, Math.min(full - 1, Math.round(channels[c]![i]! * full)));
    }
  }
  if (!Flac.FLAC__stream_encoder_process_interleaved(enc, ints, frames)) throw new Error('FLAC encode failed');
  Flac.FLAC__stream_encoder_finish(enc);
  Flac.FLAC__stream_encoder_delete(enc);
  return concat(chunks);
}

export function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) out.set(c, at), (at += c.length);
  return out;
}
