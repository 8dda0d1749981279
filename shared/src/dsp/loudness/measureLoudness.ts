import { LoudnessMeter, type LoudnessSummary } from './LoudnessMeter.ts';

/** Measures a whole programme of planar channels at once (convenience over {@link LoudnessMeter}). */
export function measureLoudness(channels: readonly Float32Array[], sampleRate: number): LoudnessSummary {
  const meter = new LoudnessMeter(sampleRate, channels.length);
  // Feed in one-second blocks: the meter is streaming, and this keeps its work per call bounded.
  const frames = channels[0]?.length ?? 0;
  const step = Math.max(1, Math.round(sampleRate));
  for (let i = 0; i < frames; i += step) {
    const end = Math.min(frames, i + step);
    meter.process(channels.map((c) => c.subarray(i, end)));
  }
  return meter.summary();
}
