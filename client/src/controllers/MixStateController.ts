import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type * as Y from 'yjs';
import { getMixRoot, readMixState, type MixState } from '@mixroom/shared/model';

/**
 * Keeps `state` equal to readMixState(doc) for a lit host. Deep changes are coalesced to
 * one read per microtask, so a burst of remote updates costs one re-render.
 */
export class MixStateController implements ReactiveController {
  state: MixState;
  private pending = false;
  private dispose: (() => void) | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly doc: Y.Doc,
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
        this.state = readMixState(this.doc);
        this.host.requestUpdate();
      });
    };
    root.observeDeep(onChange);
    this.dispose = () => root.unobserveDeep(onChange);
    onChange();
  }

  hostDisconnected(): void {
    this.dispose?.();
    this.dispose = null;
  }
}
