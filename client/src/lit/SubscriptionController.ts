import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Re-renders a lit host whenever a source reports a change. `subscribe` must return its
 * disposer; it is called in hostConnected and disposed in hostDisconnected. Given `read`,
 * it also mirrors the source's value in `value`: read on connect, then the value each
 * change reports.
 */
export class SubscriptionController<T = unknown> implements ReactiveController {
  value: T;
  private dispose: (() => void) | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly subscribe: (onChange: (value?: T) => void) => () => void,
    private readonly read?: () => T,
  ) {
    this.value = read?.() as T;
    host.addController(this);
  }

  hostConnected(): void {
    if (this.read) this.value = this.read();
    this.dispose = this.subscribe((value) => {
      if (this.read) this.value = value as T;
      this.host.requestUpdate();
    });
  }

  hostDisconnected(): void {
    this.dispose?.();
    this.dispose = null;
  }
}
