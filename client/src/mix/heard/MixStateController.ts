import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { MixState } from '@mixroom/shared/model';
import type { HeardMix } from './HeardMix.ts';

/**
 * Keeps `state` equal to the mix as heard (the document with other people's in-progress
 * drags, so their faders move live) for a lit host, re-rendering it on each change.
 */
export class MixStateController implements ReactiveController {
  state: MixState;
  private dispose: (() => void) | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly heard: HeardMix,
  ) {
    this.state = heard.state;
    host.addController(this);
  }

  hostConnected(): void {
    this.state = this.heard.state;
    this.dispose = this.heard.subscribe((state) => {
      this.state = state;
      this.host.requestUpdate();
    });
  }

  hostDisconnected(): void {
    this.dispose?.();
    this.dispose = null;
  }
}
