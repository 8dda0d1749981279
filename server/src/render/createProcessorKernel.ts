import { createPlanProcessor, MissingKernelError } from '@mixroom/shared/plan';
import type { ProcessorPlanNode } from '@mixroom/shared/plan';
import { BakeError } from './BakeError.ts';
import type { NodeKernel } from './NodeKernel.ts';

/**
 * Compressor, saturation, limiter, reverb and delay nodes: the shared/dsp kernels the
 * browser runs in AudioWorklets, through shared/plan's createPlanProcessor, which both
 * sides use so bypass (input delayed by the kernel's latency), parameter updates and
 * latency are identical in the browser and the bake.
 */
export function createProcessorKernel(node: ProcessorPlanNode, sampleRate: number): NodeKernel {
  try {
    const proc = createPlanProcessor(node, sampleRate);
    return {
      inputChannels: node.channels,
      latencyFrames: proc.latencyFrames,
      identity: node.bypass && proc.latencyFrames === 0,
      process: (input, output, frames, sidechain) => proc.process(input, output, frames, sidechain),
    };
  } catch (e) {
    if (e instanceof MissingKernelError) throw new BakeError('plan-invalid', `The bake has no kernel for "${node.kind}" (node ${node.id}) yet.`, { cause: e });
    throw e;
  }
}
