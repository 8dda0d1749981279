import type { ProcessorPlanNode } from '@mixroom/shared/plan';

/** Processor names registered by the worklet bundle. */
export const KERNEL_PROCESSOR_NAME = 'mixroom-kernel';
export const METER_PROCESSOR_NAME = 'mixroom-meter';

/** Options a kernel worklet node is constructed with (`processorOptions`). */
export interface KernelProcessorOptions {
  node: ProcessorPlanNode;
  /** Frames between gain-reduction reports (0 = never). */
  reportFrames: number;
}

/** Options of a meter worklet node. */
export interface MeterProcessorOptions {
  reportFrames: number;
  /** Also measure BS.1770 momentary and short-term loudness (the master meter). */
  loudness: boolean;
}

/** Main thread -> kernel processor. */
export type ToKernelMessage = { type: 'update'; node: ProcessorPlanNode };

/** Worklet -> main thread. */
export type FromWorkletMessage =
  | { type: 'meter'; peak: number[]; rms: number[]; momentary?: number; shortTerm?: number }
  | { type: 'gr'; gainReduction: number }
  | { type: 'error'; message: string };
