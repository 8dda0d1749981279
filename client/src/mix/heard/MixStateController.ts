import type { ReactiveController, ReactiveControllerHost } from 'lit';
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
 * Keeps `state` equal to readMixState(doc) for a lit host, with other people's
 * in-progress drags (awareness) applied so their faders move live. Changes are coalesced to
 * one read per microtask, so a burst of remote updates costs one re-render.
 */
export class MixStateController implements ReactiveController {
  state: MixState;
  private pending = false;
  private dispose: (() => void) | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly doc: Y.Doc,
    private readonly awareness: Awareness | null = null,
  ) {
    this.state = readMixState(doc);
    host.addController(this);
  }

  hostConnected(): void {
    const root = getMixRoot(this.doc);
    const onChange = (): void => {
      if (this.pending) return;
      this.pending = true;
      queueMicrotask(() => {
        this.pending = false;
        const state = readMixState(this.doc);
        const next = this.awareness ? applyRemoteGestures(state, readRemoteGestures(this.awareness).values()) : state;
        this.state = keepUnchanged(this.state, next);
        this.host.requestUpdate();
      });
    };
    root.observeDeep(onChange);
    this.awareness?.on('change', onChange);
    this.dispose = () => {
      root.unobserveDeep(onChange);
      this.awareness?.off('change', onChange);
    };
    onChange();
  }

  hostDisconnected(): void {
    this.dispose?.();
    this.dispose = null;
  }
}
