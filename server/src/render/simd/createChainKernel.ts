import type { NodeKernel } from '../runtime/NodeKernel.ts';
import type { ChainStage } from './ChainStage.ts';
import type { StripChainMemory } from './StripChainMemory.ts';

// Op codes and sizes of the program format read by server/assembly/stripChain.ts.
const END = 0;
const GAIN = 1;
const BIQUAD = 2;
const PAN_LEFT = 3;
const PAN_RIGHT = 4;
const PAN_MONO = 5;
const DELAY = 6;
const SEND = 7;
const ZERO = 8;
const SEND_ZERO = 9;
const COMP = 10;
const BARRIER = 11;
const PAN_BALANCE = 12;
const HEADER = 16;
/** f64 slots of a COMP op, in the order server/assembly/stripChain.ts reads them (C_*). */
const COMP_SLOTS = 18;

function opBytes(stage: ChainStage): number {
  switch (stage.kind) {
    case 'biquad':
      return HEADER + 144;
    case 'delay':
      return (HEADER + 12 * stage.frames + 15) & ~15;
    case 'comp':
      return HEADER + 8 * COMP_SLOTS;
    case 'gain':
    case 'send':
      return stage.gain === 0 ? HEADER : HEADER + 16;
    default:
      return HEADER + 16;
  }
}

/**
 * One NodeKernel for a run of strip nodes (gains, biquads, the panner, bypass latencies,
 * sends) executed by the SIMD module sample by sample, both channels in one register. The
 * samples equal running the nodes' JavaScript kernels one after another (see
 * server/assembly/stripChain.ts). Input and output buffers in the module's memory (see
 * StripChainMemory) are used in place; others are copied in and out, which costs far less
 * than the passes the chain saves.
 *
 * @param inputChannels channels of the chain's input (a mono input runs in both lanes).
 * @param outputChannels channels of its output (mono until a panner makes it stereo).
 * @param sendOutputs the output buffers of the chain's sends, by send index; each has the
 *   channel count of the point it branches from.
 */
export function createChainKernel(
  memory: StripChainMemory,
  stages: readonly ChainStage[],
  inputChannels: 1 | 2,
  outputChannels: 1 | 2,
  maxFrames: number,
  sendOutputs: readonly (readonly Float32Array[])[] = [],
): NodeKernel {
  const breaks = groupBreaks(stages);
  const prog = memory.reserve(stages.reduce((n, s) => n + opBytes(s), HEADER + HEADER * breaks.size));
  const left = memory.reserve(maxFrames * 4);
  const right = memory.reserve(maxFrames * 4);
  // A send whose output buffer lives in the module's memory is written there by the program
  // (a worker's bus sums read it in place); others get a buffer and are copied out.
  const sendBuffers = sendOutputs.map((chans) => chans.map((ch) => memory.addressOf(ch) ?? memory.reserve(maxFrames * 4)));
  writeProgram(memory, prog, stages, sendBuffers, breaks);
  const latencyFrames = stages.reduce((n, s) => n + (s.kind === 'delay' ? s.frames : 0), 0);
  return {
    inputChannels,
    latencyFrames,
    identity: false,
    process(input, output, frames) {
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
 * the stages that start a new group): around each compressor and bypass delay. A sample's path through
 * EQ, compressor and the rest in one go is too long a dependency chain for the CPU to
 * overlap consecutive samples; alone, a compressor runs in vectorised passes and a delay
 * is a few block copies (runCompressor/runDelay in
 * server/assembly/stripChain.ts). Measured on the bench strip (trim, 5 biquads,
 * compressor, bypass delay, fader, 2 sends, pan): 50 ns a frame as one group, 25 ns in groups (EQ 12, compressor 11.5, delay 0.5, fader + sends + pan 2.5).
 */
export function groupBreaks(stages: readonly ChainStage[]): Set<number> {
  const breaks = new Set<number>();
  stages.forEach((s, i) => {
    if (s.kind !== 'comp' && s.kind !== 'delay') return;
    if (i > 0) breaks.add(i);
    if (i + 1 < stages.length) breaks.add(i + 1);
  });
  return breaks;
}

function writeProgram(memory: StripChainMemory, prog: number, stages: readonly ChainStage[], sendBuffers: readonly number[][], breaks: ReadonlySet<number>): void {
  const i32 = memory.i32;
  const f64 = memory.f64;
  let at = prog;
  const pair = (offset: number, a: number, b: number): void => {
    f64[(at + offset) >> 3] = a;
    f64[((at + offset) >> 3) + 1] = b;
  };
  for (const [index, stage] of stages.entries()) {
    if (breaks.has(index)) {
      i32[at >> 2] = BARRIER;
      at += HEADER;
    }
    switch (stage.kind) {
      case 'gain':
        i32[at >> 2] = stage.gain === 0 ? ZERO : GAIN;
        if (stage.gain !== 0) pair(16, stage.gain, stage.gain);
        break;
      case 'biquad': {
        i32[at >> 2] = BIQUAD;
        const c = stage.coefficients;
        [c.b0, c.b1, c.b2, c.a1, c.a2].forEach((v, k) => pair(16 + 16 * k, v, v));
        for (let k = 0; k < 4; k++) pair(96 + 16 * k, 0, 0); // x1, x2, y1, y2: silence
        break;
      }
      case 'pan':
        i32[at >> 2] = stage.law === 'mono' ? PAN_MONO : stage.law === 'left' ? PAN_LEFT : stage.law === 'right' ? PAN_RIGHT : PAN_BALANCE;
        pair(16, stage.gl, stage.gr);
        break;
      case 'delay':
        // Header, then both channels' last `frames` inputs (silence at the start) and a scratch.
        i32[at >> 2] = DELAY;
        i32[(at >> 2) + 1] = stage.frames;
        memory.f32.fill(0, (at + HEADER) >> 2, (at + HEADER) / 4 + 3 * stage.frames);
        break;
      case 'comp': {
        i32[at >> 2] = COMP;
        i32[(at >> 2) + 1] = stage.detector === 'rms' ? 1 : 0;
        const c = stage.constants;
        const slots = [
          c.gainReduction,
          c.meanSquare,
          c.threshold,
          c.knee,
          c.halfKnee,
          c.negSlope,
          c.kneeCoef,
          c.kneeStart,
          c.kneeStartSq,
          c.makeupDb,
          c.makeupLin,
          c.releaseCoef,
          c.releaseComplement,
          c.attackCoef,
          c.attackComplement,
          c.rmsCoef,
          c.dbPerNeper,
          c.neperPerDb,
        ];
        f64.set(slots, (at + HEADER) >> 3);
        break;
      }
      case 'send': {
        const bufs = sendBuffers[stage.send]!;
        i32[at >> 2] = stage.gain === 0 ? SEND_ZERO : SEND;
        i32[(at >> 2) + 1] = bufs[0]!;
        i32[(at >> 2) + 2] = bufs[1] ?? bufs[0]!; // mono: both lanes to the one buffer
        if (stage.gain !== 0) pair(16, stage.gain, stage.gain);
        break;
      }
    }
    at += opBytes(stage);
  }
  i32[at >> 2] = END;
}
