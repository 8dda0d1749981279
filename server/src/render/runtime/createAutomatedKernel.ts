import { BiquadProcessor, StereoPannerProcessor } from '@mixroom/shared/dsp';
import { ScheduleCursor } from '@mixroom/shared/plan/runtime';
import type { BiquadPlanNode, GainPlanNode, PannerPlanNode, ParamSchedule } from '@mixroom/shared/plan';
import type { NodeKernel } from './NodeKernel.ts';

/**
 * A native-node kind whose parameters follow automation, as Chromium renders an AudioParam
 * with events: every frame's value from the node's ParamSchedule (ScheduleCursor emulates
 * the timeline), then the node's math with per-sample values (GainNode: x·g[i]; biquad:
 * per-frame coefficients; StereoPannerNode: per-frame pan law; the balance law: two
 * GainNodes). Null when the node has no automation.
 */
export function createAutomatedKernel(node: GainPlanNode | BiquadPlanNode | PannerPlanNode, sampleRate: number, sourceChannels: 1 | 2): NodeKernel | null {
  if (!node.automation) return null;
  switch (node.kind) {
    case 'gain': {
      const g = node.automation.gain;
      return g ? gainKernel(node.channels, param(g, sampleRate)) : null;
    }
    case 'biquad': {
      if (node.bypass) return null;
      const { frequency, gain } = node.automation;
      if (!frequency && !gain) return null;
      const biquad = new BiquadProcessor(sampleRate);
      biquad.setParams({ type: node.type, frequency: node.frequency, Q: node.q, gain: node.gain });
      const f = frequency ? param(frequency, sampleRate) : null;
      const g = gain ? param(gain, sampleRate) : null;
      return {
        inputChannels: node.channels,
        latencyFrames: 0,
        identity: false,
        process(input, output, frames, _sidechain, at = 0) {
          biquad.processAutomated(input, output, frames, f ? f.values(at, frames) : null, g ? g.values(at, frames) : null);
        },
      };
    }
    case 'panner': {
      const { pan, left, right } = node.automation;
      if (node.law === 'balance' && sourceChannels === 2 && left && right) return balanceKernel(param(left, sampleRate), param(right, sampleRate));
      if (!pan) return null;
      const panner = new StereoPannerProcessor(sampleRate);
      panner.setParams({ pan: node.pan, law: node.law });
      const p = param(pan, sampleRate);
      return {
        inputChannels: sourceChannels,
        latencyFrames: 0,
        identity: false,
        process(input, output, frames, _sidechain, at = 0) {
          panner.processAutomated(input, output, frames, p.values(at, frames));
        },
      };
    }
  }
}

/** One automated parameter: its cursor and a buffer of this block's values. */
function param(schedule: ParamSchedule, sampleRate: number) {
  const cursor = new ScheduleCursor(schedule, sampleRate);
  let buf = new Float32Array(0);
  return {
    values(at: number, frames: number): Float32Array {
      if (buf.length < frames) buf = new Float32Array(frames);
      cursor.fill(at, frames, buf);
      return buf;
    },
  };
}

/** GainNode with an automated gain: one float32 multiply per sample by that frame's value. */
function gainKernel(channels: 1 | 2, g: ReturnType<typeof param>): NodeKernel {
  return {
    inputChannels: channels,
    latencyFrames: 0,
    identity: false,
    process(input, output, frames, _sidechain, at = 0) {
      const v = g.values(at, frames);
      for (let c = 0; c < output.length; c++) {
        const src = input[c] ?? input[0]!;
        const dst = output[c]!;
        for (let i = 0; i < frames; i++) dst[i] = src[i]! * v[i]!;
      }
    },
  };
}

/** The balance law on a stereo input: L and R through two automated GainNodes. */
function balanceKernel(left: ReturnType<typeof param>, right: ReturnType<typeof param>): NodeKernel {
  return {
    inputChannels: 2,
    latencyFrames: 0,
    identity: false,
    process(input, output, frames, _sidechain, at = 0) {
      const gl = left.values(at, frames);
      const l = input[0]!;
      const outL = output[0]!;
      for (let i = 0; i < frames; i++) outL[i] = l[i]! * gl[i]!;
      const gr = right.values(at, frames);
      const r = input[1]!;
      const outR = output[1]!;
      for (let i = 0; i < frames; i++) outR[i] = r[i]! * gr[i]!;
    },
  };
}
