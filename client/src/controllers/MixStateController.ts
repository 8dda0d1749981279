import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import { getMixRoot, readMixState, type MixState } from '@mixroom/shared/model';
import { readRemoteGestures } from '@mixroom/shared/ops';
import { applyRemoteGestures } from './applyRemoteGestures.ts';

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
        this.state = this.awareness ? applyRemoteGestures(state, readRemoteGestures(this.awareness).values()) : state;
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
