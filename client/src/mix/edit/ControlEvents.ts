/**
 * Events every continuous control (fader, knob, EQ handle) emits. A drag is a gesture:
 * `control-start`, many `control-input`, then `control-end` with the final value, so the
 * owner can stream it through awareness and commit it once. Discrete edits (keyboard,
 * double-click or Delete reset) arrive as a single `control-set`. Controls never take Home
 * or End: those move the transport, whatever has focus.
 */
export interface ControlDetail {
  value: number;
  /**
   * A keyboard step (arrow keys, Page Up/Down): steps on one control in quick succession are
   * one undo step, like a drag.
   */
  nudge?: boolean;
}

export type ControlEventName = 'control-start' | 'control-input' | 'control-end' | 'control-set';

export function emitControl(target: EventTarget, name: ControlEventName, value: number, nudge = false): void {
  const detail: ControlDetail = nudge ? { value, nudge } : { value };
  target.dispatchEvent(new CustomEvent<ControlDetail>(name, { detail, bubbles: true, composed: true }));
}

declare global {
  interface HTMLElementEventMap {
    'control-start': CustomEvent<ControlDetail>;
    'control-input': CustomEvent<ControlDetail>;
    'control-end': CustomEvent<ControlDetail>;
    'control-set': CustomEvent<ControlDetail>;
  }
}
