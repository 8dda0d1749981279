import type { MixPlan } from '@mixroom/shared/plan';
import { bakeMix } from '../../server/src/render/bakeMix.ts';
import { memoryStemSource } from './memoryStemSource.ts';

/**
 * Renders `plan` with the server bake (shared/dsp, no Web Audio) and returns the first
 * `frames` frames of the master, without latency compensation (the browser engine plays
 * the master path's latency too, so the two line up sample for sample).
 */
export async function bakeInNode(plan: MixPlan, stems: ReadonlyMap<string, Float32Array[]>, frames: number, blockFrames = 4096): Promise<Float32Array[]> {
  const stream = await bakeMix(plan, { stems: memoryStemSource(stems, plan.sampleRate), workers: 1, blockFrames, compensateLatency: false });
  const out = [new Float32Array(frames), new Float32Array(frames)];
  let at = 0;
  try {
    for await (const b of stream) {
      const n = Math.min(b.frames, frames - at);
      if (n <= 0) break;
      out[0]!.set(b.channels[0]!.subarray(0, n), at);
      out[1]!.set(b.channels[1]!.subarray(0, n), at);
      at += n;
    }
  } finally {
    await stream.close();
  }
  return out;
}
