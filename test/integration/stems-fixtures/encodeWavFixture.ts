import { createRequire } from 'node:module';

// wavefile's CommonJS build is minified past Node's named-export detection; its ESM entry
// is not exposed to Node. Loading it through require works under Node, tsx and vitest.
const { WaveFile } = createRequire(import.meta.url)('wavefile') as typeof import('wavefile');

/** A WAV file of `channels` at `bits` (16/24 PCM or 32 float), made by `wavefile`. */
export function encodeWavFixture(channels: Float32Array[], sampleRate: number, kind: '16' | '24' | '32f'): Uint8Array {
  const wav = new WaveFile();
  const full = kind === '32f' ? 1 : Math.pow(2, Number(kind) - 1);
  const data = channels.map((ch) =>
    kind === '32f' ? Float64Array.from(ch) : Float64Array.from(ch, (v) => Math.max(-full, Math.min(full - 1, Math.round(v * full)))),
  );
  wav.fromScratch(channels.length, sampleRate, kind, data);
  return wav.toBuffer();
}
