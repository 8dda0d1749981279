import type { ProcessorPlanNode } from '@mixroom/shared/plan';
import { AudioWorkletNode } from 'standardized-audio-context';
import type { IAudioWorkletNode } from 'standardized-audio-context';
import type { EngineContext } from './MixEngine.ts';
import { KERNEL_PROCESSOR_NAME } from './worklet/WorkletMessage.ts';
import type { KernelProcessorOptions } from './worklet/WorkletMessage.ts';

/** Frames between gain-reduction reports of dynamics kernels (~23 ms at 44.1 kHz). */
const REPORT_FRAMES = 1024;

/**
 * An AudioWorkletNode running `node`'s shared/dsp kernel. Channel counts are explicit (the
 * plan's), so the kernel sees exactly the channels the bake's kernel sees, with the same
 * "speakers" up-mix; compressors and gates get a second input for the sidechain key.
 */
export function createWorkletNode(context: EngineContext, node: ProcessorPlanNode): IAudioWorkletNode<EngineContext> {
  const dynamics = node.kind === 'compressor' || node.kind === 'gate' || node.kind === 'deesser' || node.kind === 'limiter';
  const keyed = node.kind === 'compressor' || node.kind === 'gate';
  const processorOptions: KernelProcessorOptions = { node, reportFrames: dynamics ? REPORT_FRAMES : 0 };
  if (AudioWorkletNode === undefined) throw new Error('This browser has no AudioWorklet support');
  return new AudioWorkletNode(context, KERNEL_PROCESSOR_NAME, {
    numberOfInputs: keyed ? 2 : 1,
    numberOfOutputs: 1,
    outputChannelCount: [node.channels],
    channelCount: node.channels,
    channelCountMode: 'explicit',
    channelInterpretation: 'speakers',
    processorOptions,
  });
}
