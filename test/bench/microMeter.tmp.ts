import { readFileSync } from 'node:fs';
import { LoudnessMeter } from '@mixroom/shared/dsp/loudness';
import { decodeWavFrames, parseWavHeader } from '@mixroom/shared/wav';
import { WasmTruePeakMeter } from '../../server/src/render/simd/WasmTruePeakMeter.ts';
import { PcmMeter } from '../../server/src/render/deliver/PcmMeter.ts';
import { TpdfQuantizer } from '../../server/src/render/encode/TpdfQuantizer.ts';
const bytes = new Uint8Array(readFileSync('/tmp/flacnat/mixroom-bake-bench-240s/master.wav'));
const h = parseWavHeader(bytes) as any;
const frames = Math.floor((bytes.length - h.dataOffset) / h.blockAlign);
const m = [new Float32Array(frames), new Float32Array(frames)];
decodeWavFrames(bytes.subarray(h.dataOffset), h.sampleFormat, frames, m, 0);
const B = 16384;
const time = (label: string, f: () => void) => { const t = process.cpuUsage(); f(); const u = process.cpuUsage(t); console.log(label, ((u.user + u.system) / 1e6).toFixed(3)); };
for (let rep = 0; rep < 2; rep++) {
  time('true peak only (2 ch)', () => { const p = [new WasmTruePeakMeter(), new WasmTruePeakMeter()]; for (let at = 0; at < frames; at += B) for (let c = 0; c < 2; c++) p[c]!.process(m[c]!.subarray(at, Math.min(frames, at + B))); });
  time('LoudnessMeter w/o wasm TP (JS TP)', () => {});
  time('LoudnessMeter full', () => { const l = new LoudnessMeter(48000, 2, { truePeakMeter: () => new WasmTruePeakMeter() }); for (let at = 0; at < frames; at += B) l.process(m.map((c) => c.subarray(at, Math.min(frames, at + B)))); l.summary(); });
  const ints = new Int32Array(B * 2);
  const q = new TpdfQuantizer(24);
  time('quantize 24', () => { for (let at = 0; at < frames; at += B) { const n = Math.min(B, frames - at); q.quantize(m.map((c) => c.subarray(at, at + n)), n, ints); } });
  time('quantize 24 + PcmMeter', () => { const pm = new PcmMeter(48000, 2, 24, B); for (let at = 0; at < frames; at += B) { const n = Math.min(B, frames - at); q.quantize(m.map((c) => c.subarray(at, at + n)), n, ints); pm.push(ints, n); } pm.result(); });
}
