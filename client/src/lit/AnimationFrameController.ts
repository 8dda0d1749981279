import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Calls `frame(now)` once per animation frame while the host is connected: meters and
 * clocks draw straight into their DOM from here, so a running song never re-renders them.
 * The loop starts in hostConnected and is cancelled in hostDisconnected.
 */
export class AnimationFrameController implements ReactiveController {
  private handle = 0;

  constructor(
    host: ReactiveControllerHost,
    private readonly frame: (now: DOMHighResTimeStamp) => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    const tick = (now: DOMHighResTimeStamp): void => {
      this.frame(now);
      this.handle = requestAnimationFrame(tick);
    };
    this.handle = requestAnimationFrame(tick);
  }

  hostDisconnected(): void {
    cancelAnimationFrame(this.handle);
    this.handle = 0;
  }
}
