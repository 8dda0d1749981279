/// <reference path="./AudioWorkletGlobals.d.ts" />
import { createPlanProcessor } from '@mixroom/shared/plan';
import type { PlanProcessor } from '@mixroom/shared/plan';
import type { FromWorkletMessage, KernelProcessorOptions, ToKernelMessage } from './WorkletMessage.ts';

const QUANTUM = 128;

/**
 * Runs one plan processor (compressor, gate, saturation, limiter, reverb, delay) inside the audio
 * thread. Input 0 is the signal, input 1 the sidechain key. An input with no active
 * sources arrives with zero channels; the kernel then gets silence (the key included), so
 * tails (reverb, delay, limiter lookahead) keep draining exactly as in the bake, which
 * always processes.
 */
export class KernelProcessor extends AudioWorkletProcessor {
  private readonly proc: PlanProcessor;
  private readonly channels: number;
  /** A compressor or gate keyed by another track: its detector reads input 1, silence when that carries nothing. */
  private readonly keyed: boolean;
  private readonly silence: Float32Array[];
  private readonly silentInput: Float32Array[];
  private readonly reportFrames: number;
  private sinceReport = 0;

  constructor(options: { processorOptions?: unknown }) {
    super(options);
    const opts = options.processorOptions as KernelProcessorOptions;
    this.channels = opts.node.channels;
    this.keyed = (opts.node.kind === 'compressor' || opts.node.kind === 'gate') && opts.node.sidechain;
    this.reportFrames = opts.reportFrames;
    this.silence = [new Float32Array(QUANTUM), new Float32Array(QUANTUM)];
    this.silentInput = this.silence.slice(0, this.channels);
    let proc: PlanProcessor;
    try {
      proc = createPlanProcessor(opts.node, sampleRate);
    } catch (err) {
      // Never crash the audio thread: report, and pass the signal through unprocessed.
      this.post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
      proc = {
        latencyFrames: 0,
        update: () => {},
        process: (inputs, outputs, frames) => outputs.forEach((o, c) => o.set((inputs[c] ?? inputs[0]!).subarray(0, frames))),
        gainReductionDb: () => 0,
      };
    }
    this.proc = proc;
    this.port.onmessage = (e: MessageEvent<ToKernelMessage>) => {
      try {
        if (e.data.type === 'update') this.proc.update(e.data.node);
      } catch (err) {
        this.post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
      }
    };
  }

  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const out = outputs[0];
    if (!out || out.length === 0) return true;
    const frames = out[0]!.length;
    const input = this.fit(inputs[0]);
    // A keyed compressor or gate whose key is inactive (its stem ended, has not started, or the key
    // strip is being rebuilt) hears a silent key, as in the bake; never its own signal.
    const key = this.keyed ? this.fit(inputs[1]) : undefined;
    this.proc.process(input, out, frames, key);
    if (this.reportFrames > 0 && (this.sinceReport += frames) >= this.reportFrames) {
      this.sinceReport = 0;
      this.post({ type: 'gr', gainReduction: this.proc.gainReductionDb() });
    }
    return true;
  }

  /** The node's channel count of input, silence where the input is inactive. */
  private fit(input: Float32Array[] | undefined): Float32Array[] {
    if (input && input.length === this.channels) return input;
    if (!input || input.length === 0) return this.silentInput;
    // Channel counts are explicit on the node, so this only guards odd browsers: up-mix mono.
    return this.channels === 2 ? [input[0]!, input[1] ?? input[0]!] : [input[0]!];
  }

  private post(m: FromWorkletMessage): void {
    this.port.postMessage(m);
  }
}
