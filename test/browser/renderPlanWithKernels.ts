import { BiquadProcessor, StereoPannerProcessor } from '@mixroom/shared/dsp';
import { createPlanProcessor } from '@mixroom/shared/plan';
import type { MixPlan, PlanNode } from '@mixroom/shared/plan';

/**
 * A minimal reference runner of a MixPlan over shared/dsp in Node, no Web Audio: the
 * parity tests' stand-in for the server bake's runtime. It follows the plan's documented
 * semantics literally (plan order, input sums in edge order, "speakers" up/down-mix to the
 * node's channels, the panner keeping mono mono) and uses `blockFrames` different from the
 * browser's 128 so block-size independence is exercised too.
 *
 * @param stems planar sample data per StemRef.key, at the plan's sample rate.
 */
export function renderPlanWithKernels(plan: MixPlan, stems: ReadonlyMap<string, Float32Array[]>, frames: number, blockFrames = 1000): Float32Array[] {
  const sr = plan.sampleRate;
  type Run = (input: Float32Array[], output: Float32Array[], n: number, key?: Float32Array[]) => void;
  interface Node {
    plan: PlanNode;
    inputs: Node[];
    keys: Node[];
    out: Float32Array[];
    run: Run;
    outChannels: number;
  }
  const byId = new Map<string, Node>();
  const alloc = (c: number) => Array.from({ length: c }, () => new Float32Array(blockFrames));
  const copy: Run = (input, output, n) => input.forEach((ch, c) => output[c]!.set(ch.subarray(0, n)));

  for (const p of plan.nodes) {
    let run: Run = copy;
    let outChannels: number = p.channels;
    switch (p.kind) {
      case 'gain': {
        const g = Math.fround(p.gain);
        run = (input, output, n) => input.forEach((ch, c) => {
          const o = output[c]!;
          for (let i = 0; i < n; i++) o[i] = Math.fround(ch[i]! * g);
        });
        break;
      }
      case 'biquad': {
        if (p.bypass) break;
        const b = new BiquadProcessor(sr);
        b.setParams({ type: p.type, frequency: p.frequency, Q: p.q, gain: p.gain });
        run = (input, output, n) => b.process(input, output, n);
        break;
      }
      case 'panner': {
        const pan = new StereoPannerProcessor(sr);
        pan.setParams({ pan: p.pan, law: p.law });
        run = (input, output, n) => pan.process(input, output, n);
        outChannels = 2;
        break;
      }
      case 'source':
      case 'output':
        break;
      default: {
        const proc = createPlanProcessor(p, sr);
        run = (input, output, n, key) => proc.process(input, output, n, key);
      }
    }
    byId.set(p.id, { plan: p, inputs: [], keys: [], out: alloc(outChannels), run, outChannels });
  }
  for (const e of plan.edges) (e.input === 1 ? byId.get(e.to)!.keys : byId.get(e.to)!.inputs).push(byId.get(e.from)!);

  // Sum `from` nodes' outputs, each up/down-mixed to `channels` (Web Audio "speakers").
  const sum = (from: Node[], channels: number, into: Float32Array[], n: number) => {
    for (const ch of into) ch.fill(0, 0, n);
    for (const src of from) {
      for (let c = 0; c < channels; c++) {
        const dst = into[c]!;
        if (src.outChannels === channels) {
          const s = src.out[c]!;
          for (let i = 0; i < n; i++) dst[i] = Math.fround(dst[i]! + s[i]!);
        } else if (src.outChannels === 1) {
          const s = src.out[0]!;
          for (let i = 0; i < n; i++) dst[i] = Math.fround(dst[i]! + s[i]!);
        } else {
          const l = src.out[0]!;
          const r = src.out[1]!;
          for (let i = 0; i < n; i++) dst[i] = Math.fround(dst[i]! + Math.fround(0.5 * Math.fround(l[i]! + r[i]!)));
        }
      }
    }
  };

  const result = [new Float32Array(frames), new Float32Array(frames)];
  const scratch = alloc(2);
  const keyScratch = alloc(2);
  for (let start = 0; start < frames; start += blockFrames) {
    const n = Math.min(blockFrames, frames - start);
    for (const node of byId.values()) {
      const p = node.plan;
      if (p.kind === 'source') {
        const data = p.stem ? stems.get(p.stem.key) : undefined;
        for (let c = 0; c < node.outChannels; c++) {
          const o = node.out[c]!;
          o.fill(0);
          const ch = data?.[Math.min(c, data.length - 1)];
          if (ch && start < ch.length) o.set(ch.subarray(start, Math.min(ch.length, start + n)));
        }
        continue;
      }
      // The panner is 'clamped-max': its input keeps its widest source's channel count.
      const inChannels = p.kind === 'panner' ? Math.max(1, ...node.inputs.map((i) => i.outChannels)) : p.channels;
      const input = scratch.slice(0, inChannels);
      sum(node.inputs, inChannels, input, n);
      let key: Float32Array[] | undefined;
      if (node.keys.length > 0) {
        key = keyScratch.slice(0, p.channels);
        sum(node.keys, p.channels, key, n);
      }
      node.run(input, node.out, n, key);
      if (p.kind === 'output') for (let c = 0; c < 2; c++) result[c]!.set(node.out[Math.min(c, node.outChannels - 1)]!.subarray(0, n), start);
    }
  }
  return result;
}
