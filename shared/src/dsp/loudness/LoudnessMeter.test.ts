import { describe, expect, it } from 'vitest';
import { LoudnessMeter } from './LoudnessMeter.ts';
import { measureLoudness } from './measureLoudness.ts';
import { kWeightingCoefficients } from './kWeightingCoefficients.ts';

const FS = 48000;

/** Stereo sine at `dbfs` peak amplitude, identical in both channels (EBU Tech 3341 style). */
function sine(seconds: number, dbfs: number, freq = 1000, fs = FS, phase = 0): Float32Array {
  const a = Math.pow(10, dbfs / 20);
  const out = new Float32Array(Math.round(seconds * fs));
  for (let i = 0; i < out.length; i++) out[i] = a * Math.sin((2 * Math.PI * freq * i) / fs + phase);
  return out;
}

function concat(...parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) out.set(p, o), (o += p.length);
  return out;
}

const stereo = (x: Float32Array) => [x, x.slice()];

describe('K-weighting coefficients', () => {
  it('reproduce the BS.1770-4 48 kHz table', () => {
    const { shelf, highPass } = kWeightingCoefficients(48000);
    expect(shelf.b0).toBeCloseTo(1.53512485958697, 8);
    expect(shelf.b1).toBeCloseTo(-2.69169618940638, 8);
    expect(shelf.b2).toBeCloseTo(1.19839281085285, 8);
    expect(shelf.a1).toBeCloseTo(-1.69065929318241, 8);
    expect(shelf.a2).toBeCloseTo(0.73248077421585, 8);
    expect(highPass.a1).toBeCloseTo(-1.99004745483398, 8);
    expect(highPass.a2).toBeCloseTo(0.99007225036621, 8);
  });
});

describe('LoudnessMeter against EBU Tech 3341 / 3342 cases', () => {
  it('case 1: 1 kHz sine at -23 dBFS in both channels reads -23.0 LUFS (M, S, I)', () => {
    const meter = new LoudnessMeter(FS, 2);
    meter.process(stereo(sine(20, -23)));
    expect(Math.abs(meter.integrated() + 23)).toBeLessThan(0.1);
    expect(Math.abs(meter.momentary() + 23)).toBeLessThan(0.1);
    expect(Math.abs(meter.shortTerm() + 23)).toBeLessThan(0.1);
  });

  it('case 2: 1 kHz sine at -33 dBFS reads -33.0 LUFS', () => {
    const s = measureLoudness(stereo(sine(20, -33)), FS);
    expect(Math.abs(s.integrated + 33)).toBeLessThan(0.1);
  });

  it('case 3: relative gate ignores -36 dBFS sections around a -23 dBFS section', () => {
    const s = measureLoudness(stereo(concat(sine(10, -36), sine(60, -23), sine(10, -36))), FS);
    expect(Math.abs(s.integrated + 23)).toBeLessThan(0.1);
  });

  it('case 4: absolute and relative gates together (-72/-36/-23/-36/-72 dBFS)', () => {
    const s = measureLoudness(
      stereo(concat(sine(10, -72), sine(10, -36), sine(60, -23), sine(10, -36), sine(10, -72))),
      FS,
    );
    expect(Math.abs(s.integrated + 23)).toBeLessThan(0.1);
  });

  it('case 5: -26 / -20 / -26 dBFS (20 s, 20.1 s, 20 s) reads -23.0 LUFS', () => {
    const s = measureLoudness(stereo(concat(sine(20, -26), sine(20.1, -20), sine(20, -26))), FS);
    expect(Math.abs(s.integrated + 23)).toBeLessThan(0.1);
  });

  it('works at 44.1 kHz too (coefficients derived per rate)', () => {
    const s = measureLoudness(stereo(sine(20, -23, 1000, 44100)), 44100);
    expect(Math.abs(s.integrated + 23)).toBeLessThan(0.1);
  });

  it('Tech 3342 case 1: 20 s at -20 dBFS then 20 s at -30 dBFS gives LRA 10 +/- 1 LU', () => {
    const s = measureLoudness(stereo(concat(sine(20, -20), sine(20, -30))), FS);
    expect(Math.abs(s.range - 10)).toBeLessThan(1);
  });

  it('Tech 3342 case 3: 20 s at -40 dBFS then 20 s at -20 dBFS gives LRA 20 +/- 1 LU', () => {
    const s = measureLoudness(stereo(concat(sine(20, -40), sine(20, -20))), FS);
    expect(Math.abs(s.range - 20)).toBeLessThan(1);
  });

  it('Tech 3342 case 2: 20 s at -20 dBFS then 20 s at -15 dBFS gives LRA 5 +/- 1 LU', () => {
    const s = measureLoudness(stereo(concat(sine(20, -20), sine(20, -15))), FS);
    expect(Math.abs(s.range - 5)).toBeLessThan(1);
  });

  it('Tech 3342 case 4: -50/-35/-20/-35/-50 dBFS, 20 s each, gives LRA 15 +/- 1 LU', () => {
    const s = measureLoudness(stereo(concat(sine(20, -50), sine(20, -35), sine(20, -20), sine(20, -35), sine(20, -50))), FS);
    expect(Math.abs(s.range - 15)).toBeLessThan(1);
  });

  it('silence reads -Infinity, not NaN', () => {
    const s = measureLoudness(stereo(new Float32Array(FS * 2)), FS);
    expect(s.integrated).toBe(-Infinity);
    expect(s.truePeak).toBe(-Infinity);
    expect(s.range).toBe(0);
  });

  it('block size does not change the result', () => {
    const x = sine(5, -18, 997);
    const a = measureLoudness([x], FS).integrated;
    const meter = new LoudnessMeter(FS, 1);
    for (let i = 0; i < x.length; i += 777) meter.process([x.subarray(i, Math.min(x.length, i + 777))]);
    expect(meter.integrated()).toBeCloseTo(a, 9);
  });
});

describe('true peak (BS.1770-4 Annex 2)', () => {
  it('a full-scale-sample sine at fs/4 with 45 degree phase reads about +3 dBTP', () => {
    // Samples hit +/-0.7071 of the sinusoid's amplitude: scale so the samples peak at 1.0
    // (0 dBFS sample peak); the waveform between samples reaches sqrt(2) = +3.01 dBTP.
    const x = sine(1, 20 * Math.log10(Math.SQRT2), FS / 4, FS, Math.PI / 4);
    const samplePeak = x.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expect(samplePeak).toBeCloseTo(1, 5);
    const s = measureLoudness([x, x.slice()], FS);
    expect(s.truePeak).toBeGreaterThan(3.01 - 0.4);
    expect(s.truePeak).toBeLessThan(3.01 + 0.2);
  });

  it.each([0, 45, 60, 67.5])('Tech 3341 cases 15-18: -6 dBFS sine at fs/4, phase %s deg, reads -6.0 dBTP (+0.2/-0.4)', (deg) => {
    const x = sine(1, -6, FS / 4, FS, (deg * Math.PI) / 180);
    const s = measureLoudness([x, x.slice()], FS);
    expect(s.truePeak).toBeGreaterThan(-6.4);
    // The Annex 2 filter itself ripples +0.204 dB at fs/4 with 60 degrees (measured here
    // with the published taps), a hair over Tech 3341's +0.2: allow that much, no more.
    expect(s.truePeak).toBeLessThan(-5.79);
  });

  it('a low-frequency sine reads its own peak', () => {
    const x = sine(1, -1, 100);
    const s = measureLoudness([x], FS);
    expect(Math.abs(s.truePeak + 1)).toBeLessThan(0.05);
  });
});
