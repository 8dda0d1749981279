import { compressorSpec } from './CompressorSpec.ts';
import { DEESSER_SPEC } from './DeesserSpec.ts';
import { bool, num, oneOf, section, tuple, type ValuesOf } from './ParamSpec.ts';
import { STRIP_FADER_SPEC } from './StripSpec.ts';

// A track's parameter table: pure data, no yjs, so the dsp kernels and the AudioWorklet
// bundle can read it. The track's type, document layer and migrations are TrackRecord.ts.

export const EQ_BAND_TYPES = ['peaking', 'lowshelf', 'highshelf', 'notch', 'bandpass'] as const;
export type EqBandType = (typeof EQ_BAND_TYPES)[number];

const Q_BUTTERWORTH = 0.7071;

/** 12 dB/octave high- or low-pass (one spec biquad). */
const passFilter = (freq: number) => section({ on: bool(false), freq: num('Hz', 20, 20000, freq, { law: 'log' }), q: num('ratio', 0.1, 10, Q_BUTTERWORTH, { law: 'log' }) });

/** One parametric band; `gain` is ignored by notch and bandpass, as in the Web Audio spec. */
const band = (type: EqBandType, freq: number, q: number) =>
  section({
    on: bool(true),
    type: oneOf(EQ_BAND_TYPES, type),
    freq: num('Hz', 20, 20000, freq, { law: 'log' }),
    gain: num('dB', -24, 24, 0),
    q: num('ratio', 0.1, 18, q, { law: 'log' }),
  });

/**
 * Every parameter of a track strip, in storage order: the path into the track's Y.Map is
 * the parameter's name ('eq.bands.2.freq' is tracks[id].eq.bands['2'].freq). Defaults are
 * neutral: a new track sounds exactly like its stem. Routing (output, sends, sidechain)
 * and identity are not parameters: they name other objects.
 */
export const TRACK_SPEC = {
  /** Input trim before the strip. */
  trim: num('dB', -24, 24, 0),
  /** True inverts polarity. */
  polarity: bool(false),
  ...STRIP_FADER_SPEC,
  /** Filters off; four bands at 0 dB: low shelf, two peaks, high shelf. */
  eq: section({
    hpf: passFilter(80),
    lpf: passFilter(18000),
    bands: tuple('bands', [band('lowshelf', 100, Q_BUTTERWORTH), band('peaking', 400, 1), band('peaking', 2500, 1), band('highshelf', 8000, Q_BUTTERWORTH)]),
  }),
  /** Compressor, off and self-keyed by default. */
  comp: compressorSpec({ threshold: [-60, 0, -18], ratio: [1, 20, 4], attack: [0.0001, 1, 0.01], release: [0.01, 3, 0.2], knee: [0, 24, 6], makeup: [0, 24, 0] }),
  /** De-esser (schema 6), after the compressor. */
  deess: DEESSER_SPEC,
  sat: section({
    on: bool(false),
    /** Input drive into the waveshaper. */
    drive: num('dB', 0, 36, 6),
    /** Dry/wet blend, 0 = dry, 1 = fully saturated. */
    mix: num('ratio', 0, 1, 1),
  }),
  /**
   * Gate / downward expander (shared/dsp/gate.ts), after the filters and before the EQ;
   * off and self-keyed by default, so strips stored before schema 5 sound unchanged.
   */
  gate: section(
    {
      on: bool(false),
      /** The gate opens when the key's peak reaches this level. */
      threshold: num('dB', -80, 0, -40),
      /** Attenuation while closed (the floor): -100 is about silence, 0 does nothing. */
      range: num('dB', -100, 0, -80),
      /**
       * Downward expansion 1:ratio below the threshold, down to the range: 1 does nothing,
       * 2 is a gentle expander, 100 (the maximum) a hard gate.
       */
      ratio: num('ratio', 1, 100, 100, { law: 'log' }),
      /** Time constant of opening (the gain in dB reaches 63.2 % of the way in τ). */
      attack: num('s', 0.0001, 0.1, 0.0005, { law: 'log' }),
      /** Time the gate stays open after the key falls below the close threshold. */
      hold: num('s', 0, 2, 0.05),
      /** Time constant of closing. */
      release: num('s', 0.005, 4, 0.15, { law: 'log' }),
      /** The gate closes only below threshold - hysteresis: no chatter on a level that hovers. */
      hysteresis: num('dB', 0, 24, 6),
      /** High-pass on the key (12 dB/oct): kick bleed does not open a snare gate. */
      scHpf: num('Hz', 20, 2000, 20, { law: 'log' }),
    },
    { since: 5 },
  ),
} as const;

/** A track's parameter values (TrackRecord.ts adds identity, routing and lanes). */
export type TrackParams = ValuesOf<typeof TRACK_SPEC>;
