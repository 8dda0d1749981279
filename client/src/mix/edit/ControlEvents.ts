/**
 * Events every continuous control (fader, knob, EQ handle) emits. A drag is a gesture:
 * `control-start`, many `control-input`, then `control-end` with the final value, so the
 * owner can stream it through awareness and commit it once. Discrete edits (keyboard,
 * double-click reset) arrive as a single `control-set`.
 */
export interface ControlDetail {
  value: number;
}

export type ControlEventName = 'control-start' | 'control-input' | 'control-end' | 'control-set';

export function emitControl(target: EventTarget, name: ControlEventName, value: number): void {
  target.dispatchEvent(new CustomEvent<ControlDetail>(name, { detail: { value }, bubbles: true, composed: true }));
}

declare global {
  interface HTMLElementEventMap {
    'control-start': CustomEvent<ControlDetail>;
    'control-input': CustomEvent<ControlDetail>;
    'control-end': CustomEvent<ControlDetail>;
    'control-set': CustomEvent<ControlDetail>;
  }
}
