import { BiquadProcessor, StereoPannerProcessor } from '@mixroom/shared/dsp';
import type { PlanNode } from '@mixroom/shared/plan';
import { BakeError } from '../BakeError.ts';
import { createAutomatedKernel } from './createAutomatedKernel.ts';
import { createProcessorKernel } from './createProcessorKernel.ts';
import type { NodeKernel } from './NodeKernel.ts';

/**
 * The bake's realisation of each plan node kind, with the same math the browser engine
 * uses: native-equivalent gain/biquad/panner (shared/dsp mirrors the Web Audio spec bit for
 * bit), shared/dsp kernels for the processors. `inputChannels` is the channel count the
 * node's summed input is up/down-mixed to (Web Audio "speakers" rules).
 */
export function createNodeKernel(node: PlanNode, sampleRate: number, sourceChannels: 1 | 2): NodeKernel {
  if ((node.kind === 'gain' || node.kind === 'biquad' || node.kind === 'panner') && node.automation) {
    const automated = createAutomatedKernel(node, sampleRate, sourceChannels);
    if (automated) return automated;
  }
  switch (node.kind) {
    case 'source':
    case 'output':
      // Sources are filled by the stem reader; the output node is the master tap.
      return { inputChannels: node.channels, latencyFrames: 0, identity: true, process: copy };
    case 'gain':
      return gainKernel(node.channels, node.gain);
    case 'biquad': {
      if (node.bypass) return { inputChannels: node.channels, latencyFrames: 0, identity: true, process: copy };
      const biquad = new BiquadProcessor(sampleRate);
      biquad.setParams({ type: node.type, frequency: node.frequency, Q: node.q, gain: node.gain });
      return {
        inputChannels: node.channels,
        latencyFrames: 0,
        identity: false,
        process: (input, output, frames) => biquad.process(input, output, frames),
      };
    }
    case 'panner': {
      const panner = new StereoPannerProcessor(sampleRate);
      panner.setParams({ pan: node.pan, law: node.law });
      // StereoPannerNode is channelCountMode 'clamped-max': a mono input stays mono and
      // gets the mono pan law, so the input is NOT upmixed to the node's 2 channels.
      return {
        inputChannels: sourceChannels,
        latencyFrames: 0,
        identity: false,
        process: (input, output, frames) => panner.process(input, output, frames),
      };
    }
    case 'compressor':
    case 'deesser':
    case 'gate':
    case 'saturation':
    case 'limiter':
    case 'reverb':
    case 'delay':
      return createProcessorKernel(node, sampleRate);
    default:
      throw new BakeError('plan-invalid', `The mix plan has a node of unknown kind "${(node as { kind: string }).kind}".`);
  }
}

function copy(input: readonly Float32Array[], output: readonly Float32Array[], frames: number): void {
  for (let c = 0; c < output.length; c++) {
    const src = input[c] ?? input[0]!;
    if (src !== output[c]) output[c]!.set(src.subarray(0, frames));
  }
}

/** GainNode math: one float32 multiply per sample by the float32 AudioParam value. */
function gainKernel(channels: 1 | 2, linear: number): NodeKernel {
  if (!Number.isFinite(linear)) throw new BakeError('plan-invalid', `A gain node in the mix plan has gain ${linear}.`);
  const g = Math.fround(linear);
  if (g === 1) return { inputChannels: channels, latencyFrames: 0, identity: true, process: copy };
  return {
    inputChannels: channels,
    latencyFrames: 0,
    identity: false,
    process(input, output, frames) {
      if (g === 0) {
        for (let c = 0; c < output.length; c++) output[c]!.fill(0, 0, frames);
        return;
      }
      // The factor in a local and both channels in one loop (same products, same samples):
      // every strip has four of these nodes; this took ~6 % off the 40-stem bake's CPU.
      const k = g;
      if (output.length === 2 && input.length === 2) {
        const s0 = input[0]!;
        const s1 = input[1]!;
        const d0 = output[0]!;
        const d1 = output[1]!;
        for (let i = 0; i < frames; i++) {
          d0[i] = s0[i]! * k;
          d1[i] = s1[i]! * k;
        }
        return;
      }
      for (let c = 0; c < output.length; c++) {
        const src = input[c]!;
        const dst = output[c]!;
        for (let i = 0; i < frames; i++) dst[i] = src[i]! * k;
      }
    },
  };
}
