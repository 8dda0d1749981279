import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Re-renders a lit host whenever a source reports a change. `subscribe` must return its
 * disposer; it is called on connect and disposed on disconnect.
 */
export class SubscriptionController implements ReactiveController {
  private dispose: (() => void) | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly subscribe: (onChange: () => void) => () => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.dispose = this.subscribe(() => this.host.requestUpdate());
  }

  hostDisconnected(): void {
    this.dispose?.();
    this.dispose = null;
  }
}
