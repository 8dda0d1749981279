import { type LimiterParams, LimiterProcessor, type LimiterSteadyState, ReverbProcessor } from '@mixroom/shared/dsp';
import type { ProcessorPlanNode } from '@mixroom/shared/plan';
import { createAutomatedProcessor, createPlanProcessor, MissingKernelError } from '@mixroom/shared/plan/runtime';
import { BakeError } from '../BakeError.ts';
import { BypassDelay } from './BypassDelay.ts';
import { WasmLimiter } from '../simd/WasmLimiter.ts';
import { WasmReverb } from '../simd/WasmReverb.ts';
import type { NodeKernel } from './NodeKernel.ts';

/**
 * Compressor, saturation, limiter, reverb and delay nodes: the same `createPlanProcessor`
 * (shared/dsp kernel + the plan's bypass rule) the browser's AudioWorklets run, so bypass
 * and latency behave identically on both sides.
 */
export function createProcessorKernel(node: ProcessorPlanNode, sampleRate: number): NodeKernel {
  let processor;
  try {
    processor = createPlanProcessor(node, sampleRate);
  } catch (err) {
    const why = err instanceof MissingKernelError ? `has no DSP kernel for "${node.kind}"` : `cannot set up node ${node.id}: ${(err as Error).message}`;
    throw new BakeError('plan-invalid', `The bake ${why}.`, { cause: err });
  }
  // Bypassed and latency-free is a plain copy: let the runtime alias the buffers instead.
  const identity = node.bypass && processor.latencyFrames === 0;
  if (node.bypass && processor.latencyFrames > 0) {
    const delay = new BypassDelay(processor.latencyFrames, node.channels);
    return {
      inputChannels: node.channels,
      latencyFrames: processor.latencyFrames,
      identity: false,
      process: (input, output, frames) => delay.process(input, output, frames),
    };
  }
  // Automated params (threshold, drive, ceiling) follow their lanes at control rate, as in the
  // worklet: the JavaScript kernel, told each block's song frame.
  if (node.automation && !node.bypass && Object.keys(node.automation).length > 0) {
    const automated = createAutomatedProcessor(node, sampleRate);
    return {
      inputChannels: node.channels,
      latencyFrames: automated.latencyFrames,
      identity: false,
      process: (input, output, frames, sidechain, at = 0) => automated.process(input, output, frames, sidechain, at),
    };
  }
  // The limiter (the master's, on the bake's main thread) runs its WebAssembly SIMD
  // transcription: the same samples bit for bit, about 3.5x less CPU.
  // It is set up as createPlanProcessor sets up its kernel (construct, setParams(node.params)).
  const steady = node.kind === 'limiter' && !node.bypass ? limiterAtRest(node.params, sampleRate) : null;
  if (steady) {
    const limiter = new WasmLimiter(steady);
    return {
      inputChannels: node.channels,
      latencyFrames: limiter.latencyFrames,
      identity: false,
      process: (input, output, frames) => limiter.process(input, output, frames),
    };
  }
  // The aux buses' reverb runs its WebAssembly transcription too: same samples, ~3x less CPU.
  if (node.kind === 'reverb' && !node.bypass) {
    const js = new ReverbProcessor(sampleRate);
    js.setParams(node.params);
    const reverb = new WasmReverb(js.layout());
    return {
      inputChannels: node.channels,
      latencyFrames: reverb.latencyFrames,
      identity: false,
      process: (input, output, frames) => reverb.process(input, output, frames),
    };
  }
  return {
    inputChannels: node.channels,
    latencyFrames: processor.latencyFrames,
    identity,
    process: (input, output, frames, sidechain, at) => processor.process(input, output, frames, sidechain, at),
  };
}

function limiterAtRest(params: LimiterParams, sampleRate: number): LimiterSteadyState | null {
  const limiter = new LimiterProcessor(sampleRate);
  limiter.setParams(params);
  return limiter.steadyState();
}
