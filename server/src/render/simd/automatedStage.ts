import { BiquadProcessor, stereoPannerLaw, type StereoPannerLaw } from '@mixroom/shared/dsp';
import type { BiquadPlanNode, GainPlanNode, PannerPlanNode, ParamSchedule } from '@mixroom/shared/plan';
import { ScheduleCursor } from '@mixroom/shared/plan/runtime';
import { PAN_AUTO_LAW } from './chainProgram.ts';
import type { ChainStage, StageValues } from './ChainStage.ts';
import type { StripChainMemory } from './StripChainMemory.ts';

type AutoStage = Extract<ChainStage, { kind: 'autoGain' | 'autoPan' | 'autoBiquad' }>;

/**
 * A gain, biquad or panner node with automation as a strip-chain stage: the per-frame values
 * runtime/createAutomatedKernel.ts computes for its JavaScript kernel (the same schedule
 * cursors, the same coefficients and pan laws), written into the module's memory, where the
 * op does the node's arithmetic with them. Null where createAutomatedKernel has no automated
 * kernel either (no schedule for what the node does): the node is then static.
 */
export function automatedStage(node: GainPlanNode | BiquadPlanNode | PannerPlanNode, sampleRate: number, inputChannels: 1 | 2): AutoStage | null {
  if (!node.automation) return null;
  switch (node.kind) {
    case 'gain': {
      const g = node.automation.gain;
      return g ? { kind: 'autoGain', values: scheduleValues(g, sampleRate), lag: 0 } : null;
    }
    case 'biquad': {
      if (node.bypass) return null;
      const { frequency, gain } = node.automation;
      if (!frequency && !gain) return null;
      const biquad = new BiquadProcessor(sampleRate);
      biquad.setParams({ type: node.type, frequency: node.frequency, Q: node.q, gain: node.gain });
      const f = frequency ? new ScheduleCursor(frequency, sampleRate) : null;
      const g = gain ? new ScheduleCursor(gain, sampleRate) : null;
      let fBuf = new Float32Array(0);
      let gBuf = new Float32Array(0);
      const values: StageValues = {
        write(memory, address, _second, at, frames) {
          if (fBuf.length < frames) [fBuf, gBuf] = [new Float32Array(frames), new Float32Array(frames)];
          f?.fill(at, frames, fBuf);
          g?.fill(at, frames, gBuf);
          biquad.coefficientsPerFrame(frames, f ? fBuf : null, g ? gBuf : null, memory.f64.subarray(address >> 3, (address >> 3) + 5 * frames));
        },
      };
      return { kind: 'autoBiquad', values, lag: 0 };
    }
    case 'panner': {
      const { pan, left, right } = node.automation;
      if (node.law === 'balance' && inputChannels === 2 && left && right) return { kind: 'autoPan', values: balanceValues(left, right, sampleRate), lag: 0 };
      if (!pan) return null;
      return { kind: 'autoPan', values: panValues(pan, sampleRate, inputChannels === 2, node.law), lag: 0 };
    }
  }
}

/** One schedule's values, f32 per frame (a GainNode's gain). */
function scheduleValues(schedule: ParamSchedule, sampleRate: number): StageValues {
  const cursor = new ScheduleCursor(schedule, sampleRate);
  return {
    write(memory, address, _second, at, frames) {
      cursor.fill(at, frames, memory.f32.subarray(address >> 2, (address >> 2) + frames));
    },
  };
}

/** StereoPannerProcessor.processAutomated's law for each frame: gains (f64 pairs) and formula (i32). */
function panValues(schedule: ParamSchedule, sampleRate: number, stereoInput: boolean, panLaw: PannerPlanNode['law']): StageValues {
  const cursor = new ScheduleCursor(schedule, sampleRate);
  const law: StereoPannerLaw = { law: 'mono', gl: 1, gr: 0 };
  let pans = new Float32Array(0);
  return {
    write(memory, address, second, at, frames) {
      if (pans.length < frames) pans = new Float32Array(frames);
      cursor.fill(at, frames, pans);
      const f64 = memory.f64;
      const i32 = memory.i32;
      let p = Number.NaN;
      for (let i = 0; i < frames; i++) {
        if (pans[i] !== p) {
          p = pans[i]!;
          stereoPannerLaw(p, stereoInput, law, panLaw);
        }
        f64[(address >> 3) + 2 * i] = law.gl;
        f64[(address >> 3) + 2 * i + 1] = law.gr;
        i32[(second >> 2) + i] = PAN_AUTO_LAW[law.law];
      }
    },
  };
}

/** The balance law on a stereo input as two automated gains (createAutomatedKernel's balanceKernel). */
function balanceValues(left: ParamSchedule, right: ParamSchedule, sampleRate: number): StageValues {
  const l = new ScheduleCursor(left, sampleRate);
  const r = new ScheduleCursor(right, sampleRate);
  let gl = new Float32Array(0);
  let gr = new Float32Array(0);
  return {
    write(memory, address, second, at, frames) {
      if (gl.length < frames) [gl, gr] = [new Float32Array(frames), new Float32Array(frames)];
      l.fill(at, frames, gl);
      r.fill(at, frames, gr);
      const f64 = memory.f64;
      for (let i = 0; i < frames; i++) {
        f64[(address >> 3) + 2 * i] = gl[i]!;
        f64[(address >> 3) + 2 * i + 1] = gr[i]!;
      }
      memory.i32.fill(PAN_AUTO_LAW.balance, second >> 2, (second >> 2) + frames);
    },
  };
}
