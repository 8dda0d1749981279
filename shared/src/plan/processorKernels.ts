import { CompressorProcessor } from '../dsp/compressor.ts';
import type { DspProcessor } from '../dsp/DspProcessor.ts';
import { LimiterProcessor } from '../dsp/limiter.ts';
import type { ProcessorKind } from './MixPlan.ts';

/** A shared/dsp kernel class. */
export type KernelClass = new (sampleRate: number) => DspProcessor<object>;

/**
 * The shared/dsp kernel realising each processor kind. Kinds whose kernel has not landed
 * are absent; {@link createPlanProcessor} reports them with a clear error.
 */
export const PROCESSOR_KERNELS: Partial<Record<ProcessorKind, KernelClass>> = {
  compressor: CompressorProcessor,
  limiter: LimiterProcessor,
};
