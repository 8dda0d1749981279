import { CompressorProcessor } from '../dsp/compressor.ts';
import { DeesserProcessor } from '../dsp/deesser.ts';
import { DelayProcessor } from '../dsp/delay.ts';
import { GateProcessor } from '../dsp/gate.ts';
import type { DspProcessor } from '../dsp/DspProcessor.ts';
import { LimiterProcessor } from '../dsp/limiter.ts';
import { ReverbProcessor } from '../dsp/reverb.ts';
import { SaturationProcessor } from '../dsp/saturation.ts';
import type { ProcessorKind } from './MixPlan.ts';

/** A shared/dsp kernel class. */
export type KernelClass = new (sampleRate: number) => DspProcessor<object>;

/** The shared/dsp kernel realising each processor kind. */
export const PROCESSOR_KERNELS: Record<ProcessorKind, KernelClass> = {
  compressor: CompressorProcessor,
  deesser: DeesserProcessor,
  gate: GateProcessor,
  saturation: SaturationProcessor,
  limiter: LimiterProcessor,
  reverb: ReverbProcessor,
  delay: DelayProcessor,
};
