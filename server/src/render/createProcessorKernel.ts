import type { ProcessorPlanNode } from '@mixroom/shared/plan';
import { BakeError } from './BakeError.ts';
import type { NodeKernel } from './NodeKernel.ts';

/**
 * Compressor, saturation, limiter, reverb and delay nodes: the shared/dsp kernels the
 * browser runs in AudioWorklets. (Placeholder until the kernels land in shared/dsp.)
 */
export function createProcessorKernel(node: ProcessorPlanNode, _sampleRate: number): NodeKernel {
  if (node.bypass) {
    return {
      inputChannels: node.channels,
      latencyFrames: 0,
      identity: true,
      process(input, output, frames) {
        for (let c = 0; c < output.length; c++) if (input[c] !== output[c]) output[c]!.set(input[c]!.subarray(0, frames));
      },
    };
  }
  throw new BakeError('plan-invalid', `The bake has no kernel for "${node.kind}" (node ${node.id}) yet.`);
}
