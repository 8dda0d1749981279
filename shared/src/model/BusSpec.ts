import { num } from './ParamSpec.ts';
import { STRIP_FADER_SPEC } from './StripSpec.ts';

// A bus's parameter tables: pure data, no yjs, so the kernels and the AudioWorklet bundle
// can read them. The bus's document layer is BusRecord.ts.

export const BUS_KINDS = ['aux', 'group'] as const;
export type BusKind = (typeof BUS_KINDS)[number];

/** Every parameter of a bus strip (aux or group), by key in the bus's Y.Map. */
export const BUS_SPEC = { ...STRIP_FADER_SPEC } as const;

/** The aux reverb's parameters; defaults: 2 s decay, 20 ms pre-delay. */
export const REVERB_SPEC = {
  /** RT60-style decay time. */
  decay: num('s', 0.1, 20, 2, { law: 'log' }),
  preDelay: num('s', 0, 0.5, 0.02),
  /** High-frequency damping corner. */
  damping: num('Hz', 500, 20000, 8000, { law: 'log' }),
} as const;

/** The aux delay's parameters; defaults: 375 ms (an eighth note at 80 BPM), 35% feedback. */
export const DELAY_SPEC = {
  time: num('s', 0.001, 4, 0.375, { law: 'log' }),
  /** Kept below 1 so the feedback loop always decays. */
  feedback: num('ratio', 0, 0.95, 0.35),
  /** Low-pass in the feedback loop. */
  damping: num('Hz', 500, 20000, 6000, { law: 'log' }),
} as const;

/** Each aux effect type's parameters, by key in the bus's `effect` Y.Map. */
export const EFFECT_SPECS = { reverb: REVERB_SPEC, delay: DELAY_SPEC } as const;
