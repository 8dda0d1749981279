import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Transport, TransportSnapshot } from './Transport.ts';

/** Re-renders the host on discrete transport changes (play, stop, seek, loop). */
export class TransportController implements ReactiveController {
  snapshot: TransportSnapshot;
  private dispose: (() => void) | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly transport: Transport,
  ) {
    this.snapshot = transport.snapshot();
    host.addController(this);
  }

  hostConnected(): void {
    this.snapshot = this.transport.snapshot();
    this.dispose = this.transport.onChange((s) => {
      this.snapshot = s;
      this.host.requestUpdate();
    });
  }

  hostDisconnected(): void {
    this.dispose?.();
    this.dispose = null;
  }
}
