import { GATE_SLOT, GATE_STATE_SLOTS, GateProcessor, subBlockPhase, type GateParams } from '@mixroom/shared/dsp';
import type { NodeKernel } from '../runtime/NodeKernel.ts';
import { CHAIN_FIELD, CHAIN_OP, CHAIN_OP_BYTES } from './chainProgram.ts';
import type { StripChainMemory } from './StripChainMemory.ts';

/**
 * A gate keyed by another track (a sidechain) on the SIMD module: the chain's GATE op run
 * alone with its key apart (runGate in shared/src/dsp/gate.as.ts), the same samples as
 * GateProcessor given that sidechain, in about a fifth less time. For a gate that cannot
 * join its strip's chain (planStripChains: its key is not computed before the chain runs,
 * or has other channels), so it runs where the plan puts it, between the chains before
 * and after it. Buffers outside the module's memory are copied in and out; their
 * landing places are reserved up front, so it throws (StripChainMemory.reserve) when the
 * module's memory has no room, and PlanRuntime then runs the JavaScript kernel.
 */
export function createKeyedGateKernel(memory: StripChainMemory, params: GateParams, sampleRate: number, channels: 1 | 2, maxFrames: number): NodeKernel {
  // Set up as createPlanProcessor does for the JavaScript path.
  const gate = new GateProcessor(sampleRate);
  gate.setParams(params);
  const state = gate.steadyState();
  const op = memory.reserve(CHAIN_OP_BYTES.GATE);
  memory.i32[op >> 2] = CHAIN_OP.GATE;
  memory.f64.set(
    GATE_STATE_SLOTS.map((slot) => state[slot]),
    (op + CHAIN_FIELD.PAYLOAD) >> 3,
  );
  // Landing places for key, input and output channels that live elsewhere.
  const spare = Array.from({ length: 6 }, () => memory.reserve(maxFrames * 4));
  const place = (buf: Float32Array, k: number, frames: number, copyIn: boolean): number => {
    const at = memory.addressOf(buf);
    if (at !== undefined) return at;
    if (copyIn) memory.f32.set(buf.subarray(0, frames), spare[k]! >> 2);
    return spare[k]!;
  };
  return {
    inputChannels: channels,
    latencyFrames: 0,
    identity: false,
    process(input, output, frames, sidechain, at) {
      // Its sub-blocks follow the song frame, as GateProcessor's.
      if (at !== undefined) memory.f64[((op + CHAIN_FIELD.PAYLOAD) >> 3) + GATE_SLOT.phase] = subBlockPhase(at);
      // No key edge: the gate keys on its input, as GateProcessor does.
      const key = sidechain !== undefined && sidechain.length > 0 ? sidechain : input;
      const inL = place(input[0]!, 0, frames, true);
      const inR = input.length > 1 && channels > 1 ? place(input[1]!, 1, frames, true) : inL;
      const keyL = key === input ? inL : place(key[0]!, 2, frames, true);
      const keyR = key === input ? inR : key.length > 1 ? place(key[1]!, 3, frames, true) : keyL;
      const outL = place(output[0]!, 4, frames, false);
      const outR = channels > 1 ? place(output[1]!, 5, frames, false) : outL;
      memory.runGate(op, keyL, keyR, inL, inR, outL, outR, frames);
      if (outL === spare[4]) output[0]!.set(memory.f32.subarray(outL >> 2, (outL >> 2) + frames));
      if (channels > 1 && outR === spare[5]) output[1]!.set(memory.f32.subarray(outR >> 2, (outR >> 2) + frames));
    },
  };
}
