import type { ReactiveControllerHost } from 'lit';
import { DragController } from '../../lit/DragController.ts';
import { emitControl } from './ControlEvents.ts';

/** Shift (or Alt) divides drag speed by this for fine moves. */
export const FINE_FACTOR = 10;

export interface ControlDragOptions {
  /** The committed value (where a drag starts). */
  value(): number;
  disabled(): boolean;
  /** A drag starts at `value`: remember the pointer's anchor. */
  begin(e: PointerEvent, value: number): void;
  /** The value for this move by the element's own law; `fine` is 1, or FINE_FACTOR with Shift/Alt. */
  next(e: PointerEvent, fine: number, dragged: number): number;
}

/**
 * The drag of a continuous control (fader, knob) as a gesture: pointer down emits
 * `control-start`, each move that changes the value `control-input`, the release
 * `control-end` with the final value (see ControlEvents.ts). Double-click after a drag is a
 * reset, so a second press does not start another drag.
 */
export class ControlDragController {
  private readonly drag: DragController<{ value: number }>;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly options: ControlDragOptions,
  ) {
    this.drag = new DragController(host, {
      start: (e) => {
        if (options.disabled() || e.button !== 0 || e.detail > 1) return null;
        (e.currentTarget as HTMLElement).focus();
        const value = options.value();
        options.begin(e, value);
        emitControl(host, 'control-start', value);
        return { value };
      },
      move: (d, e) => {
        const next = options.next(e, e.shiftKey || e.altKey ? FINE_FACTOR : 1, d.value);
        if (next === d.value) return;
        d.value = next;
        host.requestUpdate();
        emitControl(host, 'control-input', next);
      },
      end: (d) => emitControl(host, 'control-end', d.value),
    });
  }

  /** Bind to the handle's `@pointerdown`. */
  get down(): (e: PointerEvent) => void {
    return this.drag.down;
  }

  get dragging(): boolean {
    return this.drag.active !== null;
  }

  /** What the control shows: the dragged value during a drag, else the committed one. */
  get shown(): number {
    return this.drag.active?.value ?? this.options.value();
  }

  /** Back to `defaultValue` as one committed change (double-click, Delete). */
  reset(defaultValue: number): void {
    if (this.options.disabled()) return;
    this.drag.cancel();
    emitControl(this.host, 'control-set', defaultValue);
  }
}
