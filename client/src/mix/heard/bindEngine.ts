import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import { readRemoteGestures } from '@mixroom/shared/ops';
import { applyRemoteGestures } from './applyRemoteGestures.ts';
import { getMixRoot, readMixState, type MixState } from '@mixroom/shared/model';
import { buildMixPlan, type MixPlan } from '@mixroom/shared/plan';
import type { MixEngine } from '../../audio/MixEngine.ts';
import { applyListenSolo, applyMonitorVolume } from './applyMonitor.ts';
import type { MonitorState } from './MonitorState.ts';

export interface EngineBindingOptions {
  doc: Y.Doc;
  engine: MixEngine;
  monitor: MonitorState;
  /** Other people's drags are heard live, before their throttled commits land. */
  awareness: Awareness;
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
 * Keeps the engine equal to the shared mix as this listener hears it: every document
 * change (local or remote) and every private-monitor change rebuilds the plan and hands it
 * to `engine.apply`, which ramps what changed. Changes in one task are coalesced.
 * Returns the disposer.
 */
export function bindEngine(options: EngineBindingOptions): () => void {
  const { doc, engine, monitor } = options;
  let scheduled = false;
  const run = (): void => {
    scheduled = false;
    try {
      const version = options.playback?.state() ?? null;
      const state = version ?? readMixState(doc);
      // Other people's drags are heard while they happen (not for a saved version played back).
      const live = version ? state : applyRemoteGestures(state, readRemoteGestures(options.awareness).values());
      const matchDb = options.playback?.gainDb() ?? 0;
      const heard = matchDb === 0 ? live : { ...live, master: { ...live.master, gain: live.master.gain + matchDb } };
      const plan = applyMonitorVolume(buildMixPlan(applyListenSolo(heard, monitor.listening)), monitor.volumeDb);
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
  const root = getMixRoot(doc);
  root.observeDeep(schedule);
  const disposeMonitor = monitor.onChange(schedule);
  // Only gesture changes matter here; presence-only updates (playheads) rebuild an equal plan cheaply.
  let lastGestures = '';
  const onAwareness = (): void => {
    const key = JSON.stringify([...readRemoteGestures(options.awareness).entries()]);
    if (key === lastGestures) return;
    lastGestures = key;
    schedule();
  };
  options.awareness.on('change', onAwareness);
  const disposePlayback = options.playback?.onChange(schedule);
  run();
  return () => {
    root.unobserveDeep(schedule);
    disposeMonitor();
    options.awareness.off('change', onAwareness);
    disposePlayback?.();
  };
}
