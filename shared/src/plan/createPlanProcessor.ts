import type { DspProcessor } from '../dsp/DspProcessor.ts';
import type { ProcessorKind, ProcessorPlanNode } from './MixPlan.ts';
import { MissingKernelError } from './MissingKernelError.ts';
import { PROCESSOR_KERNELS } from './processorKernels.ts';

/**
 * A processor plan node made runnable: the shared/dsp kernel plus the plan's bypass rule.
 * The browser worklet and the server bake both run processors through this, so bypass,
 * parameter updates and latency behave the same on both sides.
 */
export interface PlanProcessor {
  readonly latencyFrames: number;
  /**
   * Applies a newer version of the same node (params ramp inside the kernel; bypass switches
   * at once). `snap`: the params apply at once instead (the song time jumped), audio state kept.
   */
  update(node: ProcessorPlanNode, snap?: boolean): void;
  /**
   * Processes `frames` samples; `sidechain` feeds a compressor's detector; `at` is the song
   * frame of the first sample at the node's input, if something plays (DspProcessor.process).
   */
  process(inputs: readonly Float32Array[], outputs: readonly Float32Array[], frames: number, sidechain?: readonly Float32Array[], at?: number): void;
  /** Current gain reduction in dB (>= 0) for dynamics kernels, 0 otherwise. */
  gainReductionDb(): number;
}

/**
 * Creates the processor for `node` at `sampleRate`. Bypassed, it outputs its input delayed
 * by the kernel's `latencyFrames` (a plain copy for latency-free kernels), so switching a
 * processor on or off never moves audio in time. Leaving bypass resets the kernel so no
 * stale state from before the bypass leaks out.
 */
export function createPlanProcessor(node: ProcessorPlanNode, sampleRate: number): PlanProcessor {
  const Kernel = PROCESSOR_KERNELS[node.kind as ProcessorKind];
  if (!Kernel) {
    // A bypassed processor this build has no kernel for is a plain wire; an active one is an error.
    if (!node.bypass) throw new MissingKernelError(node.kind);
    return wire(node);
  }
  const kernel = new Kernel(sampleRate) as DspProcessor<object> & { gainReductionDb?: number };
  kernel.setParams(node.params);
  const latency = kernel.latencyFrames;
  let bypass = node.bypass;
  // Per-channel ring buffers realising the bypass delay (allocated once, up to stereo).
  const ring = latency > 0 ? [new Float32Array(latency), new Float32Array(latency)] : [];
  let ringPos = 0;

  return {
    latencyFrames: latency,
    update(next, snap = false) {
      if (next.kind !== node.kind) throw new Error(`processor ${node.id} cannot change kind`);
      if (snap) kernel.snapParams(next.params);
      else kernel.setParams(next.params);
      if (bypass && !next.bypass) {
        kernel.reset();
        kernel.setParams(next.params);
      }
      bypass = next.bypass;
    },
    process(inputs, outputs, frames, sidechain, at) {
      if (!bypass) {
        kernel.process(inputs, outputs, frames, sidechain, at);
        return;
      }
      const channels = Math.min(outputs.length, 2);
      if (latency === 0) {
        for (let c = 0; c < channels; c++) {
          const src = inputs[c] ?? inputs[0]!;
          if (src !== outputs[c]) outputs[c]!.set(src.subarray(0, frames));
        }
        return;
      }
      for (let c = 0; c < channels; c++) {
        const src = inputs[c] ?? inputs[0]!;
        const dst = outputs[c]!;
        const line = ring[c]!;
        let p = ringPos;
        for (let i = 0; i < frames; i++) {
          const x = src[i]!;
          dst[i] = line[p]!;
          line[p] = x;
          if (++p === latency) p = 0;
        }
      }
      ringPos = (ringPos + frames) % latency;
    },
    gainReductionDb() {
      const gr = kernel.gainReductionDb;
      return typeof gr === 'number' && Number.isFinite(gr) ? Math.abs(gr) : 0;
    },
  };
}

function wire(node: ProcessorPlanNode): PlanProcessor {
  return {
    latencyFrames: 0,
    update(next) {
      if (!next.bypass) throw new MissingKernelError(node.kind);
    },
    process(inputs, outputs, frames) {
      for (let c = 0; c < outputs.length; c++) {
        const src = inputs[c] ?? inputs[0]!;
        if (src !== outputs[c]) outputs[c]!.set(src.subarray(0, frames));
      }
    },
    gainReductionDb: () => 0,
  };
}
