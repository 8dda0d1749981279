import { bool, num, section, type ValueOf } from './ParamSpec.ts';

/** [min, max, default] of one compressor parameter in a record. */
type Bounds = readonly [min: number, max: number, dflt: number];

/**
 * The parameters of the compressor kernel (shared/dsp/compressor.ts), which the track
 * compressor and the master glue both run, each record with its own ranges and defaults.
 * Adding one here makes both records pass it to the kernel.
 */
export function compressorSpec(r: { threshold: Bounds; ratio: Bounds; attack: Bounds; release: Bounds; knee: Bounds; makeup: Bounds }) {
  return section({
    on: bool(false),
    threshold: num('dB', ...r.threshold),
    ratio: num('ratio', ...r.ratio, { law: 'log' }),
    /** Time constant of the gain-reduction attack. */
    attack: num('s', ...r.attack, { law: 'log' }),
    release: num('s', ...r.release, { law: 'log' }),
    /** Soft-knee width. */
    knee: num('dB', ...r.knee),
    makeup: num('dB', ...r.makeup),
  });
}

/** What a compressor kernel is set with: a compressor section without its switch. */
export type CompressorSettings = Omit<ValueOf<ReturnType<typeof compressorSpec>>, 'on'>;
