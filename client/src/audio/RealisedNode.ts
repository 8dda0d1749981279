import type { PlanNode } from '@mixroom/shared/plan';
import type { IAudioNode } from 'standardized-audio-context';
import type { EngineContext } from './MixEngine.ts';

/** A plan node made of Web Audio nodes (standardized-audio-context only). */
export interface RealisedNode {
  /** The plan node it currently realises (the engine swaps in each newer version). */
  plan: PlanNode;
  /** Where edges into this node connect (input 0 and, for compressors, input 1). */
  readonly input: IAudioNode<EngineContext>;
  /** What edges out of this node connect from. */
  readonly output: IAudioNode<EngineContext>;
  /**
   * Moves parameters to `next` (same id and structure) with ramps starting at `time`;
   * `inputLatency` is the frames its input now lags the stems (where its lanes play).
   */
  update(next: PlanNode, time: number, inputLatency?: number): void;
  /** A worklet node: resolves once its processor has taken in every message posted before the call. */
  settled?(): Promise<void>;
  /** Latest gain reduction (dB >= 0) reported by a dynamics worklet, else 0. */
  gainReduction(): number;
  dispose(): void;
}
