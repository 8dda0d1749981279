import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import { getMixRoot, readMixState, type MixState } from '@mixroom/shared/model';
import { readRemoteGestures } from '@mixroom/shared/ops';
import { applyRemoteGestures } from './applyRemoteGestures.ts';

/** True when two plain JSON values are equal (MixState holds only plain data). */
function same(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Reuses the previous objects for tracks, buses and the master that did not change, so a
 * peer dragging one fader re-renders one strip, not the whole console (lit skips a strip
 * whose properties are identical).
 */
function keepUnchanged(prev: MixState, next: MixState): MixState {
  const prevTracks = new Map(prev.tracks.map((t) => [t.id, t]));
  const prevBuses = new Map(prev.buses.map((b) => [b.id, b]));
  const tracks = next.tracks.map((t) => {
    const p = prevTracks.get(t.id);
    return p && same(p, t) ? p : t;
  });
  const buses = next.buses.map((b) => {
    const p = prevBuses.get(b.id);
    return p && same(p, b) ? p : b;
  });
  const keepTracks = tracks.length === prev.tracks.length && tracks.every((t, i) => t === prev.tracks[i]);
  const keepBuses = buses.length === prev.buses.length && buses.every((b, i) => b === prev.buses[i]);
  return {
    session: same(prev.session, next.session) ? prev.session : next.session,
    tracks: keepTracks ? prev.tracks : tracks,
    buses: keepBuses ? prev.buses : buses,
    master: same(prev.master, next.master) ? prev.master : next.master,
  };
}

/**
 * The mix as the room hears it: the shared document with other people's in-progress drags
 * (awareness) applied, so their faders move and the engine ramps at frame rate while the
 * document only gets ~10 commits a second. The one observer of document and gestures: the
 * console (the room element) and the engine (bindEngine) both subscribe here, so they
 * always show and play the same values.
 *
 * It observes only while someone subscribes. Changes are coalesced to one notification per
 * microtask; awareness updates that change no gesture (playheads, presence) notify nobody.
 * `state` is current at any time, also between a change and its notification.
 */
export class HeardMix {
  private heard: MixState;
  private documentState: MixState;
  private dirty = false;
  private scheduled = false;
  private gesturesKey = '';
  private readonly listeners = new Set<(state: MixState) => void>();
  private stopObserving: (() => void) | null = null;

  constructor(
    private readonly doc: Y.Doc,
    private readonly awareness: Awareness,
  ) {
    this.documentState = readMixState(doc);
    this.heard = this.withGestures(this.documentState);
  }

  /** What everyone hears: the document plus the remote gestures in progress. */
  get state(): MixState {
    this.refresh();
    return this.heard;
  }

  /** The document alone, without in-progress gestures (what a version would save). */
  get document(): MixState {
    this.refresh();
    return this.documentState;
  }

  /** Calls `listener` after each change (coalesced per microtask). Returns the disposer. */
  subscribe(listener: (state: MixState) => void): () => void {
    this.listeners.add(listener);
    if (!this.stopObserving) this.observe();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) {
        this.stopObserving?.();
        this.stopObserving = null;
      }
    };
  }

  private observe(): void {
    const root = getMixRoot(this.doc);
    const onDoc = (): void => this.changed();
    const onAwareness = (): void => {
      const key = JSON.stringify([...readRemoteGestures(this.awareness).entries()]);
      if (key === this.gesturesKey) return;
      this.gesturesKey = key;
      this.changed();
    };
    root.observeDeep(onDoc);
    this.awareness.on('change', onAwareness);
    this.stopObserving = () => {
      root.unobserveDeep(onDoc);
      this.awareness.off('change', onAwareness);
    };
    // Whatever happened while nobody observed counts as a change.
    this.gesturesKey = JSON.stringify([...readRemoteGestures(this.awareness).entries()]);
    this.dirty = true;
  }

  private changed(): void {
    this.dirty = true;
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      const state = this.state;
      for (const l of [...this.listeners]) l(state);
    });
  }

  private refresh(): void {
    // Unobserved, nothing marks a change: read afresh each time.
    if (!this.dirty && this.stopObserving) return;
    this.dirty = false;
    this.documentState = readMixState(this.doc);
    this.heard = keepUnchanged(this.heard, this.withGestures(this.documentState));
  }

  private withGestures(state: MixState): MixState {
    return applyRemoteGestures(state, readRemoteGestures(this.awareness).values());
  }
}
