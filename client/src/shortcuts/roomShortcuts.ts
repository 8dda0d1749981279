/**
 * Every keyboard shortcut of the room, in one table: the room and the review drawer act on
 * what {@link shortcutOf} names, and the "?" sheet lists this same table, so the sheet can
 * never promise a key that does nothing (or miss one that does something).
 */
export const ROOM_SHORTCUTS = [
  { id: 'play', keys: ['Space'], what: 'Play or pause', group: 'Transport' },
  { id: 'start', keys: ['Home'], what: 'Go to the start (of the loop while looping)', group: 'Transport' },
  { id: 'loop', keys: ['L'], what: 'Loop on or off (the next 8 s when no range is set)', group: 'Transport' },
  { id: 'back-to-live', keys: ['Esc'], what: 'Back to the live mix while a saved version plays', group: 'Transport' },
  { id: 'mute', keys: ['M'], what: 'Mute or unmute the focused track', group: 'Mix' },
  { id: 'solo', keys: ['S'], what: 'Solo or unsolo the focused track', group: 'Mix' },
  { id: 'undo', keys: ['Ctrl+Z', '⌘Z'], what: 'Undo your last change (only yours, never someone else’s)', group: 'Mix' },
  { id: 'redo', keys: ['Ctrl+Shift+Z', '⌘⇧Z', 'Ctrl+Y'], what: 'Redo your change', group: 'Mix' },
  { id: 'review', keys: ['R'], what: 'Open or close the review drawer', group: 'Review' },
  { id: 'comment', keys: ['C'], what: 'Comment at the playhead', group: 'Review' },
  { id: 'comment-range', keys: ['Shift+C'], what: 'Comment on the loop range', group: 'Review' },
  { id: 'help', keys: ['?'], what: 'Show these shortcuts', group: 'Help' },
] as const;

export type ShortcutId = (typeof ROOM_SHORTCUTS)[number]['id'];

/**
 * The keys a focused control keeps for itself (listed on the sheet; the controls handle
 * them, and {@link shortcutOf} never takes them from a control).
 */
export const CONTROL_KEYS = [
  { keys: ['↑', '↓', '←', '→'], what: 'Step a focused fader or knob (Shift: finer); move a focused EQ point' },
  { keys: ['Page Up', 'Page Down'], what: 'Big step of a focused fader or knob' },
  { keys: ['Delete', 'Backspace'], what: 'Reset a focused fader, knob or EQ point' },
  { keys: ['Space', 'Enter'], what: 'Press a focused button' },
  { keys: ['Tab', 'Shift+Tab'], what: 'Move between controls' },
] as const;

/** Keys a slider (fader, knob, EQ point) handles itself when focused. */
const SLIDER_KEYS = new Set(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'PageUp', 'PageDown', 'Delete', 'Backspace']);

/**
 * The room shortcut a key press means, or null when it is not one, or when it belongs to
 * the focused control: typing in a field, a button's Space/Enter, a slider's own keys, or
 * anything inside a modal dialog (the dialog handles its keys).
 */
export function shortcutOf(e: KeyboardEvent): ShortcutId | null {
  const path = e.composedPath();
  const target = path[0];
  if (target instanceof HTMLElement) {
    if (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return null;
    if ((e.key === ' ' || e.key === 'Enter') && (target instanceof HTMLButtonElement || target.getAttribute('role') === 'button')) return null;
    if (SLIDER_KEYS.has(e.key) && target.getAttribute('role') === 'slider') return null;
  }
  if (path.some((n) => n instanceof Element && n.getAttribute('aria-modal') === 'true')) return null;
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.toLowerCase();
  if (mod && !e.altKey) {
    if (key === 'z') return e.shiftKey ? 'redo' : 'undo';
    if (key === 'y') return 'redo';
    return null;
  }
  if (mod || e.altKey) return null;
  if (e.key === '?') return 'help';
  if (e.key === 'Escape') return 'back-to-live';
  if (e.key === ' ') return 'play';
  if (e.key === 'Home') return 'start';
  if (key === 'c') return e.shiftKey ? 'comment-range' : 'comment';
  if (e.shiftKey) return null;
  if (key === 'l') return 'loop';
  if (key === 'm') return 'mute';
  if (key === 's') return 'solo';
  if (key === 'r') return 'review';
  return null;
}
