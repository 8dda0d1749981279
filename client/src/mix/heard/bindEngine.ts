import type { MixState } from '@mixroom/shared/model';
import { buildMixPlan, type MixPlan } from '@mixroom/shared/plan';
import type { MixEngine } from '../../audio/MixEngine.ts';
import { applyBandListen } from './applyBandListen.ts';
import { applyListenSolo, applyMonitorVolume } from './applyMonitor.ts';
import type { HeardMix } from './HeardMix.ts';
import type { MonitorState } from './MonitorState.ts';

export interface EngineBindingOptions {
  /** The mix as heard: other people's drags are heard live, before their throttled commits land. */
  heard: HeardMix;
  engine: MixEngine;
  monitor: MonitorState;
  /** Called with each new state (track list for media, duration for the transport). */
  onState: (state: MixState, plan: MixPlan) => void;
  onError: (error: unknown) => void;
  /**
   * A/B playback (review): when `state()` returns a mix, it plays instead of the document
   * (a saved version). `gainDb()` (loudness matching, never positive) is added to the master
   * fader of what plays, so the master meter shows the matched level the listener hears.
   */
  playback?: { state(): MixState | null; gainDb(): number; onChange(listener: () => void): () => void };
}

/**
 * Keeps the engine equal to the shared mix as this listener hears it: every change of the
 * heard mix (document or remote gestures), of the private monitor and of A/B playback
 * rebuilds the plan and hands it to `engine.apply`, which ramps what changed. Changes in one
 * task are coalesced. Returns the disposer.
 */
export function bindEngine(options: EngineBindingOptions): () => void {
  const { heard, engine, monitor } = options;
  let scheduled = false;
  const run = (): void => {
    scheduled = false;
    try {
      const version = options.playback?.state() ?? null;
      const state = version ?? heard.document;
      // Other people's drags are heard while they happen (not for a saved version played back).
      const live = version ?? heard.state;
      const matchDb = options.playback?.gainDb() ?? 0;
      const matched = matchDb === 0 ? live : { ...live, master: { ...live.master, gain: live.master.gain + matchDb } };
      const bands = monitor.bandListening;
      // A track whose band is listened to is soloed privately too: its band is all one hears.
      const solo = bands.size === 0 ? monitor.listening : new Set([...monitor.listening, ...bands]);
      const plan = applyMonitorVolume(applyBandListen(buildMixPlan(applyListenSolo(matched, solo)), bands), monitor.volumeDb);
      options.onState(state, plan);
      engine.apply(plan).catch(options.onError);
    } catch (error) {
      options.onError(error);
    }
  };
  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(run);
  };
  const disposeHeard = heard.subscribe(schedule);
  const disposeMonitor = monitor.onChange(schedule);
  const disposePlayback = options.playback?.onChange(schedule);
  run();
  return () => {
    disposeHeard();
    disposeMonitor();
    disposePlayback?.();
  };
}
