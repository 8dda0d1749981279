import { COMPRESSOR_STATE_SLOTS, DEESSER_SLOT, DEESSER_STATE_SLOTS, GATE_SLOT, GATE_STATE_SLOTS, subBlockPhase } from '@mixroom/shared/dsp';
import type { NodeKernel } from '../runtime/NodeKernel.ts';
import { AUTO_BYTES_PER_FRAME, CHAIN_FIELD, CHAIN_OP, CHAIN_OP_BYTES, delayOpBytes } from './chainProgram.ts';
import type { ChainStage } from './ChainStage.ts';
import type { StripChainMemory } from './StripChainMemory.ts';

/** Bytes of the op a stage becomes (chainProgram.ts). */
function opBytes(stage: ChainStage): number {
  switch (stage.kind) {
    case 'biquad':
      return CHAIN_OP_BYTES.BIQUAD;
    case 'delay':
      return delayOpBytes(stage.frames);
    case 'comp':
      return CHAIN_OP_BYTES.COMP;
    case 'gate':
      return CHAIN_OP_BYTES.GATE;
    case 'deess':
      return CHAIN_OP_BYTES.DEESS;
    case 'autoGain':
    case 'autoSend':
    case 'autoPan':
    case 'autoBiquad':
      return CHAIN_OP_BYTES[AUTO_OP[stage.kind]];
    case 'gain':
      return stage.gain === 0 ? CHAIN_OP_BYTES.ZERO : CHAIN_OP_BYTES.GAIN;
    case 'send':
      return stage.gain === 0 ? CHAIN_OP_BYTES.SEND_ZERO : CHAIN_OP_BYTES.SEND;
    case 'pan':
      return CHAIN_OP_BYTES[panOp(stage.law)];
  }
}

/** The op of each automated stage kind. */
const AUTO_OP = { autoGain: 'GAIN_AUTO', autoSend: 'SEND_AUTO', autoPan: 'PAN_AUTO', autoBiquad: 'BIQUAD_AUTO' } as const;

type AutoStage = Extract<ChainStage, { kind: keyof typeof AUTO_OP }>;

/** An automated stage and the buffers its values are written to before each run. */
interface AutoBuffers {
  stage: AutoStage;
  values: number;
  /** PAN_AUTO's formulas; 0 for the others. */
  second: number;
}

/** The op of a panner stage: one per formula of the stereo panner. */
function panOp(law: 'mono' | 'left' | 'right' | 'balance'): 'PAN_MONO' | 'PAN_LEFT' | 'PAN_RIGHT' | 'PAN_BALANCE' {
  return law === 'mono' ? 'PAN_MONO' : law === 'left' ? 'PAN_LEFT' : law === 'right' ? 'PAN_RIGHT' : 'PAN_BALANCE';
}

/**
 * One NodeKernel for a run of strip nodes (gains, biquads, the panner, bypass latencies,
 * sends) executed by the SIMD module sample by sample, both channels in one register. The
 * samples equal running the nodes' JavaScript kernels one after another (see
 * shared/src/dsp/stripChain.as.ts). Input and output buffers in the module's memory (see
 * StripChainMemory) are used in place; others are copied in and out, which costs far less
 * than the passes the chain saves.
 *
 * @param inputChannels channels of the chain's input (a mono input runs in both lanes).
 * @param outputChannels channels of its output (mono until a panner makes it stereo).
 * @param sendOutputs the output buffers of the chain's sends, by send index; each has the
 *   channel count of the point it branches from.
 * @param keys the buffers of the nodes keyed gates read (a gate stage's `key`), filled
 *   before the chain runs; read in place when they live in the module's memory.
 */
export function createChainKernel(
  memory: StripChainMemory,
  stages: readonly ChainStage[],
  inputChannels: 1 | 2,
  outputChannels: 1 | 2,
  maxFrames: number,
  sendOutputs: readonly (readonly Float32Array[])[] = [],
  keys: ReadonlyMap<string, readonly Float32Array[]> = new Map(),
): NodeKernel {
  const breaks = groupBreaks(stages);
  const prog = memory.reserve(stages.reduce((n, s) => n + opBytes(s), CHAIN_OP_BYTES.END + CHAIN_OP_BYTES.BARRIER * breaks.size));
  const left = memory.reserve(maxFrames * 4);
  const right = memory.reserve(maxFrames * 4);
  // A send whose output buffer lives in the module's memory is written there by the program
  // (a worker's bus sums read it in place); others get a buffer and are copied out.
  const sendBuffers = sendOutputs.map((chans) => chans.map((ch) => memory.addressOf(ch) ?? memory.reserve(maxFrames * 4)));
  // Automated stages: a values buffer each (a panner two), filled before every run.
  const autos: AutoBuffers[] = stages
    .filter((st): st is AutoStage => st.kind in AUTO_OP)
    .map((stage) => {
      const values = memory.reserve(maxFrames * AUTO_BYTES_PER_FRAME[AUTO_OP[stage.kind]]);
      return { stage, values, second: stage.kind === 'autoPan' ? memory.reserve(maxFrames * 4) : 0 };
    });
  const phases = writeProgram(memory, prog, stages, sendBuffers, breaks, autos);
  // Keyed gates: where each one's op is, its key's channels, and a landing place per
  // channel for a key that lives outside the module's memory (copied in each block).
  let opAt = prog;
  const keyed: { op: number; key: readonly Float32Array[]; landing: number[] }[] = [];
  stages.forEach((stage, i) => {
    if (breaks.has(i)) opAt += CHAIN_OP_BYTES.BARRIER;
    if (stage.kind === 'gate' && stage.key !== undefined) {
      const key = keys.get(stage.key);
      if (!key) throw new Error(`createChainKernel: no buffer for the key ${stage.key}`);
      keyed.push({ op: opAt, key, landing: key.map(() => memory.reserve(maxFrames * 4)) });
    }
    opAt += opBytes(stage);
  });
  const latencyFrames = stages.reduce((n, s) => n + (s.kind === 'delay' ? s.frames : 0), 0);
  return {
    inputChannels,
    latencyFrames,
    identity: false,
    process(input, output, frames, _sidechain, at) {
      for (const a of autos) a.stage.values.write(memory, a.values, a.second, (at ?? 0) - a.stage.lag, frames);
      // A gate's or de-esser's sub-blocks follow the song frame (the bake's blocks run back to
      // back, so this places the first); without one they follow on from the previous block.
      if (at !== undefined) for (const d of phases) memory.f64[d.slot] = subBlockPhase(at - d.lag);
      for (const k of keyed) {
        const address = k.key.map((ch, c) => {
          const own = memory.addressOf(ch);
          if (own !== undefined) return own;
          memory.f32.set(ch.subarray(0, frames), k.landing[c]! >> 2);
          return k.landing[c]!;
        });
        memory.i32[(k.op + CHAIN_FIELD.ARG0) >> 2] = address[0]!;
        memory.i32[(k.op + CHAIN_FIELD.ARG1) >> 2] = address[1] ?? address[0]!; // a mono key: both lanes read the one buffer
      }
      const stereoIn = inputChannels === 2;
      const stereoOut = outputChannels === 2;
      // Buffers that live in the module's memory (the worker's sources, outputs it keeps)
      // are read and written where they are; others are copied in and out.
      let inL = memory.addressOf(input[0]!);
      let inR = stereoIn ? memory.addressOf(input[1]!) : inL;
      if (inL === undefined || inR === undefined) {
        const f32 = memory.f32;
        f32.set(input[0]!.subarray(0, frames), left >> 2);
        if (stereoIn) f32.set(input[1]!.subarray(0, frames), right >> 2);
        inL = left;
        inR = stereoIn ? right : left;
      }
      const ownL = memory.addressOf(output[0]!);
      const ownR = stereoOut ? memory.addressOf(output[1]!) : ownL;
      const direct = ownL !== undefined && ownR !== undefined;
      // A mono output's two lanes are equal, so both stores may go to the same buffer.
      const outL = direct ? ownL : left;
      const outR = direct ? ownR : stereoOut ? right : left;
      memory.run(prog, inL, inR, outL, outR, frames);
      const f32 = memory.f32;
      if (!direct) {
        output[0]!.set(f32.subarray(left >> 2, (left >> 2) + frames));
        if (stereoOut) output[1]!.set(f32.subarray(right >> 2, (right >> 2) + frames));
      }
      for (let s = 0; s < sendOutputs.length; s++) {
        const chans = sendOutputs[s]!;
        const bufs = sendBuffers[s]!;
        for (let c = 0; c < chans.length; c++) {
          // Copied only when the program did not write it in place (or it was re-pointed since).
          if (memory.addressOf(chans[c]!) !== bufs[c]) chans[c]!.set(f32.subarray(bufs[c]! >> 2, (bufs[c]! >> 2) + frames));
        }
      }
    },
  };
}

/**
 * Where the program splits into groups run one after another over the block (indices of
 * the stages that start a new group): around each compressor, gate, de-esser and bypass delay. A sample's path through
 * EQ, compressor and the rest in one go is too long a dependency chain for the CPU to
 * overlap consecutive samples; alone, a compressor runs in vectorised passes and a delay
 * is a few block copies (runCompressor/runDelay in
 * shared/src/dsp/compressor.as.ts and BypassDelay.as.ts). Measured on the bench strip (trim, 5 biquads,
 * compressor, bypass delay, fader, 2 sends, pan): 50 ns a frame as one group, 25 ns in groups (EQ 12, compressor 11.5, delay 0.5, fader + sends + pan 2.5).
 */
export function groupBreaks(stages: readonly ChainStage[]): Set<number> {
  const breaks = new Set<number>();
  stages.forEach((s, i) => {
    // An automated biquad too: the EQ sections before and after it stay specialised loops.
    if (s.kind !== 'comp' && s.kind !== 'delay' && s.kind !== 'gate' && s.kind !== 'deess' && s.kind !== 'autoBiquad') return;
    if (i > 0) breaks.add(i);
    if (i + 1 < stages.length) breaks.add(i + 1);
  });
  return breaks;
}

/** Writes the program; returns where each gate and de-esser keeps its sub-block phase (an f64 index) and its lag. */
function writeProgram(
  memory: StripChainMemory,
  prog: number,
  stages: readonly ChainStage[],
  sendBuffers: readonly number[][],
  breaks: ReadonlySet<number>,
  autos: readonly AutoBuffers[],
): { slot: number; lag: number }[] {
  const phases: { slot: number; lag: number }[] = [];
  const i32 = memory.i32;
  const f64 = memory.f64;
  const { ARG0, ARG1, ARG2, PAYLOAD, BIQUAD_B0, BIQUAD_X1 } = CHAIN_FIELD;
  let at = prog;
  const pair = (offset: number, a: number, b: number): void => {
    f64[(at + offset) >> 3] = a;
    f64[((at + offset) >> 3) + 1] = b;
  };
  // A kernel's state block (its shared/dsp *_STATE_SLOTS order) as the op's payload.
  const block = <S extends string>(slots: readonly S[], state: { readonly [K in S]: number }): void => {
    f64.set(
      slots.map((slot) => state[slot]),
      (at + PAYLOAD) >> 3,
    );
  };
  for (const [index, stage] of stages.entries()) {
    if (breaks.has(index)) {
      i32[at >> 2] = CHAIN_OP.BARRIER;
      at += CHAIN_OP_BYTES.BARRIER;
    }
    switch (stage.kind) {
      case 'gain':
        i32[at >> 2] = stage.gain === 0 ? CHAIN_OP.ZERO : CHAIN_OP.GAIN;
        if (stage.gain !== 0) pair(PAYLOAD, stage.gain, stage.gain);
        break;
      case 'biquad': {
        i32[at >> 2] = CHAIN_OP.BIQUAD;
        const c = stage.coefficients;
        [c.b0, c.b1, c.b2, c.a1, c.a2].forEach((v, k) => pair(BIQUAD_B0 + 16 * k, v, v));
        for (let k = 0; k < 4; k++) pair(BIQUAD_X1 + 16 * k, 0, 0); // x1, x2, y1, y2: silence
        break;
      }
      case 'pan':
        i32[at >> 2] = CHAIN_OP[panOp(stage.law)];
        pair(PAYLOAD, stage.gl, stage.gr);
        break;
      case 'delay':
        // Header, then both channels' last `frames` inputs (silence at the start) and a scratch.
        i32[at >> 2] = CHAIN_OP.DELAY;
        i32[(at + ARG0) >> 2] = stage.frames;
        memory.f32.fill(0, (at + PAYLOAD) >> 2, (at + PAYLOAD) / 4 + 3 * stage.frames);
        break;
      case 'comp':
        i32[at >> 2] = CHAIN_OP.COMP;
        i32[(at + ARG0) >> 2] = stage.detector === 'rms' ? 1 : 0;
        block(COMPRESSOR_STATE_SLOTS, stage.constants);
        break;
      case 'gate':
        i32[at >> 2] = CHAIN_OP.GATE;
        // Keyed by its own input (0), or by a key whose address each run writes.
        i32[(at + ARG0) >> 2] = 0;
        i32[(at + ARG1) >> 2] = 0;
        block(GATE_STATE_SLOTS, stage.constants);
        phases.push({ slot: ((at + PAYLOAD) >> 3) + GATE_SLOT.phase, lag: stage.lag });
        break;
      case 'deess':
        i32[at >> 2] = CHAIN_OP.DEESS;
        block(DEESSER_STATE_SLOTS, stage.constants);
        phases.push({ slot: ((at + PAYLOAD) >> 3) + DEESSER_SLOT.phase, lag: stage.lag });
        break;
      case 'autoGain':
      case 'autoPan':
      case 'autoBiquad': {
        // Its values buffer(s); a biquad's state (x1, x2, y1, y2 pairs) starts as silence.
        const bufs = autos.find((a) => a.stage === stage)!;
        i32[at >> 2] = CHAIN_OP[AUTO_OP[stage.kind]];
        i32[(at + ARG0) >> 2] = bufs.values;
        i32[(at + ARG1) >> 2] = bufs.second;
        if (stage.kind === 'autoBiquad') f64.fill(0, (at + PAYLOAD) >> 3, ((at + PAYLOAD) >> 3) + 8);
        break;
      }
      case 'autoSend': {
        const bufs = sendBuffers[stage.send]!;
        i32[at >> 2] = CHAIN_OP.SEND_AUTO;
        i32[(at + ARG0) >> 2] = bufs[0]!;
        i32[(at + ARG1) >> 2] = bufs[1] ?? bufs[0]!;
        i32[(at + ARG2) >> 2] = autos.find((a) => a.stage === stage)!.values;
        break;
      }
      case 'send': {
        const bufs = sendBuffers[stage.send]!;
        i32[at >> 2] = stage.gain === 0 ? CHAIN_OP.SEND_ZERO : CHAIN_OP.SEND;
        i32[(at + ARG0) >> 2] = bufs[0]!;
        i32[(at + ARG1) >> 2] = bufs[1] ?? bufs[0]!; // mono: both lanes to the one buffer
        if (stage.gain !== 0) pair(PAYLOAD, stage.gain, stage.gain);
        break;
      }
    }
    at += opBytes(stage);
  }
  i32[at >> 2] = CHAIN_OP.END;
  return phases;
}
