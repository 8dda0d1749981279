import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** What a drag does. `start` returns the drag's own state, or null to let the pointer go. */
export interface DragHandlers<T> {
  start(e: PointerEvent): T | null;
  move?(drag: T, e: PointerEvent): void;
  /** The pointer was released (`pointerup`) or the browser took it (`pointercancel`). */
  end?(drag: T, e: PointerEvent): void;
  /** The host left the page mid-drag (no pointer event will end it). */
  abandon?(drag: T): void;
}

interface RunningDrag<T> {
  state: T;
  stop(): void;
}

/**
 * One pointer drag at a time for a lit host. Bind `down` to a handle's `@pointerdown`: it
 * captures the pointer on that handle and listens there for that pointer's moves and its
 * release. The listeners live as long as the drag; a drag still running when the host
 * disconnects is stopped in hostDisconnected (listeners removed, `abandon` called).
 */
export class DragController<T> implements ReactiveController {
  private running: RunningDrag<T> | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly handlers: DragHandlers<T>,
  ) {
    host.addController(this);
  }

  /** The running drag's state, or null. */
  get active(): T | null {
    return this.running?.state ?? null;
  }

  readonly down = (e: PointerEvent): void => {
    const target = e.currentTarget as Element | null;
    if (this.running || !target) return;
    const state = this.handlers.start(e);
    if (state === null) return;
    const pointerId = e.pointerId;
    target.setPointerCapture?.(pointerId);
    const onMove = (ev: PointerEvent): void => {
      if (ev.pointerId === pointerId) this.handlers.move?.(state, ev);
    };
    const onEnd = (ev: PointerEvent): void => {
      if (ev.pointerId !== pointerId) return;
      this.cancel();
      if (target.hasPointerCapture?.(pointerId)) target.releasePointerCapture(pointerId);
      this.handlers.end?.(state, ev);
    };
    const listeners = [
      ['pointermove', onMove],
      ['pointerup', onEnd],
      ['pointercancel', onEnd],
    ] as const;
    for (const [type, listener] of listeners) target.addEventListener(type, listener as EventListener);
    this.running = {
      state,
      stop: () => {
        for (const [type, listener] of listeners) target.removeEventListener(type, listener as EventListener);
      },
    };
    this.host.requestUpdate();
  };

  /** Drops the running drag without ending it (`end` is not called). */
  cancel(): void {
    if (this.stop() !== null) this.host.requestUpdate();
  }

  hostDisconnected(): void {
    const state = this.stop();
    if (state === null) return;
    this.handlers.abandon?.(state);
    // Shown again later, the host must show its committed value, not the abandoned drag's.
    this.host.requestUpdate();
  }

  /** Removes the running drag's listeners; returns its state, or null when none ran. */
  private stop(): T | null {
    const running = this.running;
    if (!running) return null;
    running.stop();
    this.running = null;
    return running.state;
  }
}
