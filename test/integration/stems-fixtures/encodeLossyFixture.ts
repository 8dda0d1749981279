import { createRequire } from 'node:module';
import { createMp3Encoder, createOggEncoder } from 'wasm-media-encoders';
import { concat } from './encodeFlacFixture.ts';

/** MP3 (LAME, CBR 320 kb/s) via wasm-media-encoders. */
export async function encodeMp3Fixture(channels: Float32Array[], sampleRate: number): Promise<Uint8Array> {
  const enc = await createMp3Encoder();
  enc.configure({ channels: channels.length as 1 | 2, sampleRate, bitrate: 320 });
  const out = [enc.encode(channels).slice()];
  out.push(enc.finalize().slice());
  return concat(out);
}

/** OGG Vorbis (libvorbis, quality 8) via wasm-media-encoders. */
export async function encodeVorbisFixture(channels: Float32Array[], sampleRate: number): Promise<Uint8Array> {
  const enc = await createOggEncoder();
  enc.configure({ channels: channels.length as 1 | 2, sampleRate, vbrQuality: 8 });
  const out = [enc.encode(channels).slice()];
  out.push(enc.finalize().slice());
  return concat(out);
}

interface OpusPage {
  page: Uint8Array;
}
interface OggOpusEncoderInstance {
  encode(buffers: Float32Array[]): OpusPage[];
  encodeFinalFrame(): OpusPage[];
  generateIdPage(): OpusPage;
  generateCommentPage(): OpusPage;
  destroy(): void;
}

/** OGG Opus (libopus 1.3, 192 kb/s, 48 kHz) via opus-encdec's encoder and Ogg writer. */
export async function encodeOpusFixture(channels: Float32Array[]): Promise<Uint8Array> {
  const require = createRequire(import.meta.url);
  const Module = require('opus-encdec/dist/libopus-encoder.js') as { isReady: boolean; onready: (() => void) | null };
  if (!Module.isReady) await new Promise<void>((r) => (Module.onready = r));
  const { OggOpusEncoder } = require('opus-encdec/src/oggOpusEncoder.js') as {
    OggOpusEncoder: new (config: object, module: unknown) => OggOpusEncoderInstance;
  };
  const enc = new OggOpusEncoder(
    { numberOfChannels: channels.length, originalSampleRate: 48000, encoderSampleRate: 48000, encoderBitRate: 192000, serial: 1234 },
    Module,
  );
  // The identification and comment headers are the first two pages (the library's worker
  // wrapper emits them at start; we drive the encoder directly).
  const pages: Uint8Array[] = [enc.generateIdPage().page.slice(), enc.generateCommentPage().page.slice()];
  const keep = (ps: OpusPage[] | undefined) => ps?.forEach((p) => pages.push(p.page.slice()));
  // Feed in 4096-frame buffers, as the encoder expects from a ScriptProcessor.
  for (let i = 0; i < channels[0]!.length; i += 4096) keep(enc.encode(channels.map((c) => c.subarray(i, i + 4096))));
  keep(enc.encodeFinalFrame());
  enc.destroy();
  return concat(pages);
}
