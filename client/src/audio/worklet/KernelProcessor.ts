/// <reference path="./AudioWorkletGlobals.d.ts" />
// The automation entry, not the plan's: the plan builder reads the document layer (yjs).
import { createAutomatedProcessor, type AutomatedProcessor } from '@mixroom/shared/plan/automation';
import type { FromWorkletMessage, KernelProcessorOptions, TimelineSegment, ToKernelMessage } from './WorkletMessage.ts';

const QUANTUM = 128;

/**
 * Runs one plan processor (compressor, gate, saturation, limiter, reverb, delay) inside the audio
 * thread. Input 0 is the signal, input 1 the sidechain key. An input with no active
 * sources arrives with zero channels; the kernel then gets silence (the key included), so
 * tails (reverb, delay, limiter lookahead) keep draining exactly as in the bake, which
 * always processes.
 */
export class KernelProcessor extends AudioWorkletProcessor {
  private readonly proc: AutomatedProcessor;
  /** Where the song plays (the transport's segments) and the node's input latency: the song frame of each sample, for automation and the gate's and de-esser's sub-blocks. */
  private timeline: { segments: readonly TimelineSegment[]; delay: number } | null = null;
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
    let proc: AutomatedProcessor;
    try {
      proc = createAutomatedProcessor(opts.node, sampleRate);
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
        else if (e.data.type === 'timeline') this.timeline = { segments: e.data.segments, delay: e.data.delay };
        else if (e.data.type === 'sync') this.post({ type: 'synced', id: e.data.id });
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
    this.run(input, out, frames, key);
    if (this.reportFrames > 0 && (this.sinceReport += frames) >= this.reportFrames) {
      this.sinceReport = 0;
      this.post({ type: 'gr', gainReduction: this.proc.gainReductionDb() });
    }
    return true;
  }

  /**
   * Processes the quantum with the song frame of each part: split where a segment starts or
   * ends inside it (a loop wrap), no song frame where nothing plays (automation holds).
   */
  private run(input: Float32Array[], out: Float32Array[], frames: number, key: Float32Array[] | undefined): void {
    const t = this.timeline;
    if (t === null || t.segments.length === 0) {
      this.proc.process(input, out, frames, key);
      return;
    }
    let i = 0;
    while (i < frames) {
      const now = currentFrame + i;
      let at: number | undefined;
      let n = frames - i;
      for (const s of t.segments) {
        const from = s.when + t.delay;
        const to = s.until + t.delay;
        if (now >= from && now < to) {
          at = now - from + s.off;
          n = Math.min(n, to - now);
          break;
        }
        if (from > now) n = Math.min(n, from - now);
      }
      if (i === 0 && n === frames) this.proc.process(input, out, frames, key, at);
      else {
        const cut = (chs: Float32Array[]) => chs.map((c) => c.subarray(i, i + n));
        this.proc.process(cut(input), cut(out), n, key && cut(key), at);
      }
      i += n;
    }
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
