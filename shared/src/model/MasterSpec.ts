import { compressorSpec } from './CompressorSpec.ts';
import { bool, num, section } from './ParamSpec.ts';

/**
 * Every master parameter, by dotted path into the master Y.Map. Unity gain, glue and limiter
 * off. Pure data, no yjs, so the kernels and the AudioWorklet bundle can read it; the
 * master's document layer is MasterRecord.ts.
 */
export const MASTER_SPEC = {
  gain: num('dB', -100, 12, 0, { law: 'fader' }),
  /** The bus compressor. */
  glue: compressorSpec({ threshold: [-40, 0, -10], ratio: [1, 10, 2], attack: [0.0001, 0.1, 0.01], release: [0.01, 2, 0.3], knee: [0, 24, 6], makeup: [0, 24, 0] }),
  limiter: section({
    on: bool(false),
    /** True-peak ceiling. */
    ceiling: num('dB', -12, 0, -1),
    release: num('s', 0.001, 1, 0.05, { law: 'log' }),
  }),
} as const;
