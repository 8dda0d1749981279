/**
 * The demo song: 32 bars of 4/4 at 120 BPM (64 s) in A minor, Am-F-C-G, two bars per chord,
 * synthesised in code at 48 kHz so a newcomer has a real multitrack to mix without
 * uploading anything. Deterministic (seeded noise): the same bytes at every first start.
 */
export interface DemoStem {
  /** File name of the stem (becomes the track name). */
  fileName: string;
  /** Planar samples at {@link DEMO_SAMPLE_RATE}. */
  channels: Float32Array[];
}

export const DEMO_SAMPLE_RATE = 48000;
export const DEMO_BPM = 120;
export const DEMO_BARS = 32;

const FS = DEMO_SAMPLE_RATE;
const BEAT = 60 / DEMO_BPM;
const BAR = 4 * BEAT;
const LENGTH = Math.round(DEMO_BARS * BAR * FS);
const TAU = 2 * Math.PI;

/** MIDI note to Hz. */
const hz = (note: number) => 440 * 2 ** ((note - 69) / 12);
// Chord roots and triads (MIDI) for Am, F, C, G.
const CHORDS = [
  [57, 60, 64],
  [53, 57, 60],
  [48, 52, 55],
  [55, 59, 62],
];
const chordAt = (bar: number) => CHORDS[Math.floor(bar / 2) % 4]!;

/** Small seeded PRNG (mulberry32): noise must be identical on every start. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Adds `render(i)` for `frames` frames starting at time `at` (seconds). */
function addAt(out: Float32Array, at: number, frames: number, render: (i: number) => number): void {
  const start = Math.round(at * FS);
  const end = Math.min(out.length, start + frames);
  for (let i = start; i < end; i++) out[i] = out[i]! + render(i - start);
}

/** One-pole low-pass in place (cheap tone shaping). */
function lowPass(x: Float32Array, cutoff: number): Float32Array {
  const a = 1 - Math.exp((-TAU * cutoff) / FS);
  let y = 0;
  for (let i = 0; i < x.length; i++) x[i] = y += a * (x[i]! - y);
  return x;
}

/** Scales so the peak sits at `dbfs`. */
function normalize(chs: Float32Array[], dbfs: number): Float32Array[] {
  let peak = 0;
  for (const c of chs) for (let i = 0; i < c.length; i++) peak = Math.max(peak, Math.abs(c[i]!));
  const g = peak > 0 ? 10 ** (dbfs / 20) / peak : 1;
  for (const c of chs) for (let i = 0; i < c.length; i++) c[i] = c[i]! * g;
  return chs;
}

/** Stereo placement with equal-power gains. */
function spread(mono: Float32Array, pan: number): Float32Array[] {
  const angle = ((pan + 1) * Math.PI) / 4;
  return [mono.map((v) => v * Math.cos(angle)), mono.map((v) => v * Math.sin(angle))];
}

function kick(): Float32Array[] {
  const x = new Float32Array(LENGTH);
  for (let bar = 0; bar < DEMO_BARS; bar++) {
    const hits = bar % 4 === 3 ? [0, 1.5, 2, 3.5] : [0, 2, 2.5];
    for (const beat of hits) {
      let phase = 0;
      addAt(x, bar * BAR + beat * BEAT, Math.round(0.35 * FS), (i) => {
        const t = i / FS;
        phase += (TAU * (45 + 110 * Math.exp(-t * 28))) / FS;
        return Math.sin(phase) * Math.exp(-t * 9) + (i < 48 ? 0.3 * (1 - i / 48) : 0);
      });
    }
  }
  return normalize([x], -3);
}

function snare(): Float32Array[] {
  const x = new Float32Array(LENGTH);
  const rnd = prng(7);
  for (let bar = 0; bar < DEMO_BARS; bar++) {
    const beats = bar % 8 === 7 ? [1, 3, 3.5, 3.75] : [1, 3];
    for (const beat of beats) {
      let prev = 0;
      addAt(x, bar * BAR + beat * BEAT, Math.round(0.25 * FS), (i) => {
        const t = i / FS;
        const n = rnd() * 2 - 1;
        const hp = n - prev;
        prev = n;
        return 0.7 * hp * Math.exp(-t * 18) + 0.5 * Math.sin(TAU * 185 * t) * Math.exp(-t * 30);
      });
    }
  }
  return normalize([x], -4);
}

function hats(): Float32Array[] {
  const x = new Float32Array(LENGTH);
  const rnd = prng(11);
  for (let step = 0; step < DEMO_BARS * 8; step++) {
    const open = step % 8 === 7;
    const accent = step % 2 === 0 ? 1 : 0.6;
    let p1 = 0;
    let p2 = 0;
    addAt(x, step * (BEAT / 2), Math.round((open ? 0.2 : 0.05) * FS), (i) => {
      const n = rnd() * 2 - 1;
      const d1 = n - p1;
      const d2 = d1 - p2;
      p1 = n;
      p2 = d1;
      return accent * d2 * Math.exp((-i / FS) * (open ? 14 : 70));
    });
  }
  return normalize(spread(x, 0.35), -9);
}

function bass(): Float32Array[] {
  const x = new Float32Array(LENGTH);
  for (let step = 0; step < DEMO_BARS * 8; step++) {
    const bar = Math.floor(step / 8);
    const root = chordAt(bar)[0]! - 24;
    const note = step % 8 === 6 ? root + 7 : step % 8 === 7 ? root + 12 : root;
    const f = hz(note);
    addAt(x, step * (BEAT / 2), Math.round((BEAT / 2) * 0.9 * FS), (i) => {
      const t = i / FS;
      let s = 0;
      for (let h = 1; h <= 6; h++) s += Math.sin(TAU * f * h * t) / h;
      return s * Math.min(1, i / 96) * Math.exp(-t * 3);
    });
  }
  return normalize([lowPass(x, 700)], -4);
}

/** Electric-piano-like chord stabs on the off-beats. */
function keys(): Float32Array[] {
  const l = new Float32Array(LENGTH);
  const r = new Float32Array(LENGTH);
  for (let bar = 0; bar < DEMO_BARS; bar++) {
    for (const beat of [0.5, 1.5, 2.5, 3.5]) {
      chordAt(bar).forEach((note, k) => {
        const f = hz(note + 12);
        const render = (i: number) => {
          const t = i / FS;
          return (Math.sin(TAU * f * t + 0.6 * Math.sin(TAU * f * 2 * t) * Math.exp(-t * 6)) * Math.exp(-t * 5)) / 3;
        };
        addAt(k === 1 ? r : l, bar * BAR + beat * BEAT, Math.round(0.45 * FS), render);
        addAt(k === 1 ? l : r, bar * BAR + beat * BEAT, Math.round(0.45 * FS), (i) => 0.5 * render(i));
      });
    }
  }
  return normalize([l, r], -8);
}

/** Plucked-string arpeggio (Karplus-Strong), the "guitar". */
function guitar(): Float32Array[] {
  const x = new Float32Array(LENGTH);
  const rnd = prng(23);
  for (let step = 0; step < DEMO_BARS * 8; step++) {
    const bar = Math.floor(step / 8);
    if (bar < 4) continue; // enters after the intro
    const chord = chordAt(bar);
    const note = chord[[0, 1, 2, 1][step % 4]!]! + (step % 8 >= 4 ? 12 : 0);
    const period = Math.round(FS / hz(note));
    const buf = new Float32Array(period).map(() => rnd() * 2 - 1);
    let k = 0;
    addAt(x, step * (BEAT / 2), Math.round(0.6 * FS), () => {
      const a = buf[k]!;
      const b = buf[(k + 1) % period]!;
      buf[k] = 0.996 * 0.5 * (a + b);
      k = (k + 1) % period;
      return a;
    });
  }
  return normalize(spread(lowPass(x, 3500), -0.4), -7);
}

/** Lead "vocal": a sawtooth through vowel formants, with vibrato and a sung melody. */
function vocal(): Float32Array[] {
  const x = new Float32Array(LENGTH);
  // (bar offset in beats, MIDI note, beats) for an 8-bar phrase, sung twice from bar 8.
  const phrase: [number, number, number][] = [
    [0, 69, 1.5], [1.5, 72, 0.5], [2, 71, 1], [3, 69, 1],
    [4, 65, 2], [6, 64, 1], [7, 65, 1],
    [8, 67, 1.5], [9.5, 69, 0.5], [10, 67, 2],
    [12, 71, 1], [13, 72, 1], [14, 71, 2],
    [16, 69, 3], [19, 72, 1], [20, 76, 2], [22, 74, 1], [23, 72, 1],
    [24, 71, 2], [26, 67, 2], [28, 69, 4],
  ];
  const formants = [
    [730, 1090], // "ah"
    [530, 1840], // "eh"
    [300, 870], // "oo"
  ];
  for (const start of [8, 16]) {
    phrase.forEach(([beat, note, beats], n) => {
      const f0 = hz(note);
      const [f1, f2] = formants[n % 3]!;
      const frames = Math.round(beats * BEAT * 0.95 * FS);
      // Two resonators (2-pole) tuned to the formants, state kept per note.
      const res = [f1!, f2!].map((f) => {
        const r = Math.exp((-Math.PI * 90) / FS);
        return { a1: 2 * r * Math.cos((TAU * f) / FS), a2: -r * r, y1: 0, y2: 0 };
      });
      let phase = 0;
      addAt(x, start * BAR + beat * BEAT, frames, (i) => {
        const t = i / FS;
        const vib = 1 + 0.006 * Math.sin(TAU * 5.5 * t) * Math.min(1, t * 2);
        phase = (phase + (f0 * vib) / FS) % 1;
        const saw = 2 * phase - 1;
        let out = 0;
        for (const r of res) {
          const y = saw + r.a1 * r.y1 + r.a2 * r.y2;
          r.y2 = r.y1;
          r.y1 = y;
          out += y;
        }
        const env = Math.min(1, i / (0.04 * FS), (frames - i) / (0.05 * FS));
        return out * env;
      });
    });
  }
  return normalize([x], -5);
}

/** Slow detuned-saw pad under everything, wide stereo. */
function pad(): Float32Array[] {
  const l = new Float32Array(LENGTH);
  const r = new Float32Array(LENGTH);
  for (let bar = 0; bar < DEMO_BARS; bar += 2) {
    const frames = Math.round(2 * BAR * FS);
    chordAt(bar).forEach((note) => {
      const f = hz(note);
      for (const [out, detune] of [[l, 0.997], [r, 1.003]] as const) {
        let p1 = 0;
        let p2 = 0;
        addAt(out, bar * BAR, frames, (i) => {
          p1 = (p1 + (f * detune) / FS) % 1;
          p2 = (p2 + (f * 2 * (2 - detune)) / FS) % 1;
          const env = Math.min(1, i / (0.8 * FS), (frames - i) / (0.5 * FS));
          return env * ((2 * p1 - 1) + 0.4 * (2 * p2 - 1));
        });
      }
    });
  }
  return normalize([lowPass(l, 1200), lowPass(r, 1200)], -10);
}

/** File names of the demo stems, in track order. */
export const DEMO_STEM_FILES = ['Kick.wav', 'Snare.wav', 'Hats.wav', 'Bass.wav', 'Keys.wav', 'Guitar.wav', 'Lead Vocal.wav', 'Pad.wav'] as const;

/** Every stem of the demo song, 64 s each. */
export function synthesizeDemoStems(): DemoStem[] {
  return [
    { fileName: 'Kick.wav', channels: kick() },
    { fileName: 'Snare.wav', channels: snare() },
    { fileName: 'Hats.wav', channels: hats() },
    { fileName: 'Bass.wav', channels: bass() },
    { fileName: 'Keys.wav', channels: keys() },
    { fileName: 'Guitar.wav', channels: guitar() },
    { fileName: 'Lead Vocal.wav', channels: vocal() },
    { fileName: 'Pad.wav', channels: pad() },
  ];
}
