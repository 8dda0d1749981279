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

/** A stretch of playback: song frame `off` plays at context frame `when`, until `until` (Infinity: on). */
export interface TimelineSegment {
  when: number;
  off: number;
  until: number;
}

/**
 * Main thread -> kernel processor. 'timeline' tells an automated processor where the song
 * plays (the transport's segments; none when stopped) and its input's latency in frames.
 */
export type ToKernelMessage =
  | { type: 'update'; node: ProcessorPlanNode }
  | { type: 'timeline'; segments: TimelineSegment[]; delay: number }
  /** Answered by 'synced' with the same id: every message posted before it has been taken in. */
  | { type: 'sync'; id: number };

/** Worklet -> main thread. */
export type FromWorkletMessage =
  | { type: 'meter'; peak: number[]; rms: number[]; momentary?: number; shortTerm?: number }
  | { type: 'gr'; gainReduction: number }
  | { type: 'error'; message: string }
  | { type: 'synced'; id: number };
