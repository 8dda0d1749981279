import { emitControl } from './ControlEvents.ts';

/** How far one key press moves a control: Shift+arrow, arrow, Page Up/Down. */
export type ControlKeyStep = 'fine' | 'normal' | 'coarse';

/**
 * The keyboard of a fader or knob: arrows nudge (Shift: finer), Page Up/Down move coarsely,
 * Delete/Backspace resets to `defaultValue`. `moveBy` says where a step in `direction` lands,
 * in the control's own units and law. Other keys pass on to the room's shortcuts.
 */
export function onControlKey(target: HTMLElement, e: KeyboardEvent, defaultValue: number, moveBy: (direction: 1 | -1, step: ControlKeyStep) => number): void {
  const arrow: ControlKeyStep = e.shiftKey ? 'fine' : 'normal';
  let next: number | null = null;
  if (e.key === 'ArrowUp' || e.key === 'ArrowRight') next = moveBy(1, arrow);
  else if (e.key === 'ArrowDown' || e.key === 'ArrowLeft') next = moveBy(-1, arrow);
  else if (e.key === 'PageUp') next = moveBy(1, 'coarse');
  else if (e.key === 'PageDown') next = moveBy(-1, 'coarse');
  else if (e.key === 'Delete' || e.key === 'Backspace') {
    // Reset: a key no room shortcut uses (Home is the transport's "go to start").
    e.preventDefault();
    e.stopPropagation();
    emitControl(target, 'control-set', defaultValue);
    return;
  }
  if (next === null) return;
  e.preventDefault();
  e.stopPropagation();
  emitControl(target, 'control-set', next, true);
}
