import type { BusState, MixState, TrackState } from '@mixroom/shared/model';
import { testMix } from '../../shared/src/plan/testing/testMix.ts';
import { bassStem, burstStem, kickStem, noiseStem, placeStem } from './testStems.ts';
import { DEFAULT_EQ_BANDS, defaultDelay, defaultEq, defaultMaster, defaultReverb, defaultSaturation, defaultSend } from '@mixroom/shared/model';

/** A generated song: its mix state and its stems (planar, by key). */
export interface GeneratedSong {
  state: MixState;
  stems: Map<string, Float32Array[]>;
  /** Length of the longest stem, frames. */
  frames: number;
}

/** Seconds at which each stem starts (leading digital silence) and ends, as a DAW export from bar 1 would. */
const PARTS = {
  kick: [0, 170],
  bass: [0, 190],
  snare: [8, 168],
  hats: [16, 160],
  pad: [0, 190],
  vox: [30, 150],
  gtr: [60, 180],
  keys: [0, 120],
} as const satisfies Record<string, readonly [number, number]>;

/** Adds `amp`·sin(2π·freq·i/rate) to `out` by the two-term recurrence (a minute of audio in milliseconds, drift far below float32). */
function addSine(out: Float32Array, freq: number, amp: number, rate: number): void {
  const w = (2 * Math.PI * freq) / rate;
  const k = 2 * Math.cos(w);
  let prev = -Math.sin(w);
  let cur = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] = out[i]! + amp * cur;
    const next = k * cur - prev;
    prev = cur;
    cur = next;
  }
}

/** Sustained chord tones: the sum of `freqs` sines, slowly swelling. */
function chordStem(frames: number, freqs: readonly number[], amp: number, rate: number, detune = 1): Float32Array {
  const out = new Float32Array(frames);
  for (const f of freqs) addSine(out, f * detune, amp / freqs.length, rate);
  const swell = new Float32Array(frames);
  addSine(swell, 1 / 8, 0.25, rate);
  for (let i = 0; i < frames; i++) out[i] = out[i]! * (0.75 + swell[i]!);
  return out;
}

/** Plucked notes (a few harmonics, fast decay), one every `interval` seconds over a four-note cycle. */
function pluckStem(frames: number, rate: number, interval: number, amp: number, seed: number): Float32Array {
  const notes = [196, 246.94, 293.66, 220];
  const out = new Float32Array(frames);
  const period = Math.round(interval * rate);
  const noise = noiseStem(frames, amp * 0.05, seed);
  for (let start = 0, n = 0; start < frames; start += period, n++) {
    const w = (2 * Math.PI * notes[n % notes.length]!) / rate;
    for (let i = 0; i < period && start + i < frames; i++) {
      const env = Math.exp((-i / rate) * 6);
      out[start + i] = env * (amp * (Math.sin(w * i) + 0.5 * Math.sin(2 * w * i) + 0.25 * Math.sin(3 * w * i)) / 1.75 + noise[start + i]!);
    }
  }
  return out;
}

/** A vowel-like line: a tone with a vibrato-free formant pair, phrased in 4 s notes with 1 s gaps. */
function voxStem(frames: number, rate: number): Float32Array {
  const notes = [440, 392, 523.25, 493.88];
  const out = new Float32Array(frames);
  let phase = 0;
  for (let i = 0; i < frames; i++) {
    const t = i / rate;
    const inNote = t % 5;
    const f = notes[Math.floor(t / 5) % notes.length]!;
    phase += (2 * Math.PI * f) / rate;
    const env = inNote < 4 ? Math.min(1, inNote * 20, (4 - inNote) * 20) : 0;
    out[i] = 0.4 * env * (Math.sin(phase) + 0.3 * Math.sin(3 * phase) + 0.15 * Math.sin(5 * phase)) * (0.6 + 0.4 * Math.sin((2 * Math.PI * 3 * i) / rate));
  }
  return out;
}

/**
 * A whole song (190 s at `rate`): 8 tracks whose stems start and end at different times
 * (a kick keying the bass that ends 20 s before it, a vocal keying the pad that starts 30 s
 * in), two group buses whose inputs all end before the song does, reverb and delay returns
 * fed by pre- and post-fader sends from tracks that end, and the master's glue compressor
 * and limiter. Every processor kind and every EQ filter type is in use.
 */
export function generatedSong(rate = 48000, prefix = 'song'): GeneratedSong {
  const stems = new Map<string, Float32Array[]>();
  const lengthOf = (part: keyof typeof PARTS) => Math.round((PARTS[part][1] - PARTS[part][0]) * rate);
  const leadOf = (part: keyof typeof PARTS) => Math.round(PARTS[part][0] * rate);
  const place = (part: keyof typeof PARTS, ...channels: Float32Array[]) => {
    stems.set(`${prefix}-${part}`, channels.map((c) => placeStem(c, leadOf(part), lengthOf(part))));
    return testMix.stem(`${prefix}-${part}`, channels.length, leadOf(part) + lengthOf(part), rate);
  };
  const n = (part: keyof typeof PARTS) => lengthOf(part);

  const t = testMix.track('x');
  const bands = (...b: TrackState['eq']['bands']) => b;
  const [b0, b1, b2, b3] = t.eq.bands;
  const tracks: TrackState[] = [
    testMix.track('kick', {
      order: 0,
      stem: place('kick', kickStem(n('kick'), rate, 0.5)),
      eq: { ...t.eq, hpf: { ...defaultEq().hpf, on: true, freq: 30, q: Math.SQRT1_2 }, bands: bands({ ...DEFAULT_EQ_BANDS[0], on: true, type: 'peaking', freq: 60, gain: 3, q: 1.2 }, b1, b2, b3) },
      comp: { ...t.comp, on: true, threshold: -12, ratio: 3, attack: 0.005, release: 0.1 },
      output: 'drums',
      sends: [{ ...defaultSend('verb'), level: -18, pre: false, on: true }],
    }),
    testMix.track('bass', {
      order: 1,
      stem: place('bass', bassStem(n('bass'), rate)),
      eq: { ...t.eq, lpf: { ...defaultEq().lpf, on: true, freq: 4000, q: 1 }, bands: bands({ ...DEFAULT_EQ_BANDS[0], on: true, type: 'lowshelf', freq: 120, gain: 3, q: 1 }, b1, b2, b3) },
      comp: { ...t.comp, on: true, threshold: -30, ratio: 8, attack: 0.001, release: 0.08, sidechain: 'kick' },
      sat: { ...defaultSaturation(), on: true, drive: 9, mix: 0.5 },
      pan: -0.1,
      gain: -2,
    }),
    testMix.track('snare', {
      order: 2,
      stem: place('snare', burstStem(n('snare'), rate, 31, 1, 0.5), burstStem(n('snare'), rate, 32, 1, 0.5)),
      eq: { ...t.eq, bands: bands(b0, { ...DEFAULT_EQ_BANDS[0], on: true, type: 'bandpass', freq: 900, gain: 0, q: 0.7 }, { ...DEFAULT_EQ_BANDS[0], on: true, type: 'notch', freq: 3200, gain: 0, q: 5 }, b3) },
      sat: { ...defaultSaturation(), on: true, drive: 12, mix: 1 },
      pan: -0.3,
      output: 'drums',
      sends: [{ ...defaultSend('dly'), level: -10, pre: false, on: true }],
    }),
    testMix.track('hats', {
      order: 3,
      stem: place('hats', burstStem(n('hats'), rate, 41, 0.25, 0.125, 0.3)),
      eq: { ...t.eq, hpf: { ...defaultEq().hpf, on: true, freq: 5000, q: 1 }, bands: bands(b0, b1, b2, { ...DEFAULT_EQ_BANDS[0], on: true, type: 'highshelf', freq: 9000, gain: 2, q: 1 }) },
      pan: 0.4,
      gain: -4,
      output: 'drums',
    }),
    testMix.track('pad', {
      order: 4,
      stem: place('pad', chordStem(n('pad'), [220, 261.63, 329.63], 0.5, rate, 0.997), chordStem(n('pad'), [220, 261.63, 329.63], 0.5, rate, 1.003)),
      trim: -3,
      polarity: true,
      eq: { ...t.eq, bands: bands(b0, b1, b2, { ...DEFAULT_EQ_BANDS[0], on: true, type: 'highshelf', freq: 6000, gain: -4, q: 1 }) },
      // Ducked under the vocal, whose stem starts 30 s in: a key that starts late.
      comp: { ...t.comp, on: true, threshold: -28, ratio: 3, attack: 0.01, release: 0.25, sidechain: 'vox' },
      pan: 0.5,
      // A strip mixed before pan laws existed: the Web Audio law (the others use balance).
      panLaw: 'webaudio',
      gain: -8,
      sends: [{ ...defaultSend('verb'), level: -6, pre: true, on: true }],
    }),
    testMix.track('vox', {
      order: 5,
      stem: place('vox', voxStem(n('vox'), rate)),
      eq: { ...t.eq, hpf: { ...defaultEq().hpf, on: true, freq: 100, q: Math.SQRT1_2 }, bands: bands(b0, b1, { ...DEFAULT_EQ_BANDS[0], on: true, type: 'peaking', freq: 2500, gain: 4, q: 2 }, b3) },
      comp: { ...t.comp, on: true, threshold: -20, ratio: 4, knee: 6, makeup: 3 },
      pan: 0.1,
      sends: [{ ...defaultSend('dly'), level: -12, pre: false, on: true }, { ...defaultSend('verb'), level: -9, pre: false, on: true }],
    }),
    testMix.track('gtr', {
      order: 6,
      stem: place('gtr', pluckStem(n('gtr'), rate, 0.25, 0.5, 51), pluckStem(n('gtr'), rate, 0.25, 0.45, 52)),
      eq: { ...t.eq, lpf: { ...defaultEq().lpf, on: true, freq: 8000, q: Math.SQRT1_2 } },
      sat: { ...defaultSaturation(), on: true, drive: 6, mix: 0.8 },
      pan: -0.6,
      output: 'music',
      sends: [{ ...defaultSend('dly'), level: -16, pre: false, on: true }],
    }),
    testMix.track('keys', {
      order: 7,
      stem: place('keys', chordStem(n('keys'), [261.63, 329.63, 392], 0.4, rate)),
      eq: { ...t.eq, bands: bands(b0, { ...DEFAULT_EQ_BANDS[0], on: true, type: 'peaking', freq: 800, gain: -3, q: 1.4 }, b2, b3) },
      pan: 0.3,
      output: 'music',
      sends: [{ ...defaultSend('verb'), level: -12, pre: true, on: true }],
    }),
  ];
  const buses: BusState[] = [
    testMix.bus('drums', 'group', { order: 0, gain: -2, pan: 0.1, panLaw: 'webaudio', sends: [{ ...defaultSend('verb'), level: -20, pre: true, on: true }] }),
    testMix.bus('music', 'group', { order: 1, gain: -3, sends: [{ ...defaultSend('dly'), level: -14, pre: false, on: true }] }),
    testMix.bus('verb', 'aux', { order: 2, gain: -4, effect: { ...defaultReverb(), decay: 1.8, preDelay: 0.02, damping: 6000 } }),
    testMix.bus('dly', 'aux', { order: 3, gain: -6, pan: -0.2, effect: { ...defaultDelay(), time: 0.1875, feedback: 0.35, damping: 5000 } }),
  ];
  const state = testMix.state(tracks, buses);
  state.master = { ...defaultMaster(), gain: 2, glue: { ...defaultMaster().glue, on: true, threshold: -16, ratio: 2, attack: 0.01, release: 0.2, knee: 6, makeup: 1 }, limiter: { ...defaultMaster().limiter, on: true, ceiling: -1, release: 0.05 }, automation: {} };
  const frames = Math.max(...[...stems.values()].map((c) => c[0]!.length));
  return { state, stems, frames };
}
