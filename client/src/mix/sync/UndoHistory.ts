import type * as Y from 'yjs';
import { readMixState, type MixState } from '@mixroom/shared/model';
import { listMixChanges, type MixChange } from '@mixroom/shared/review';
import type { TransactionOrigin } from '@mixroom/shared/protocol';

/** One undoable step of this user's, in words. */
export interface UndoStep {
  /** `Pad: fader 0.0 dB → -3.0 dB`, with `(+2 more)` when the step changed more. */
  description: string;
  /** Every change of the step, one line each. */
  lines: readonly string[];
}

/** Stack-item meta keys (the UndoManager carries meta from the undo to the redo stack for us). */
const BEFORE = 'mixroom.before';
const KEYS = 'mixroom.keys';
const LINES = 'mixroom.lines';

const keyOf = (c: MixChange): string => `${c.scope}:${c.id ?? ''}:${c.path.join('.')}`;

/**
 * This user's undo and redo steps with human descriptions, read from their own
 * UndoManager (so only their own edits). Each step is described by diffing the mix from
 * just before its first transaction to just after its latest, keeping only what this
 * user's own transactions touched: someone else's edit in between never shows up in it.
 */
export class UndoHistory {
  private pre: MixState | null = null;
  private readonly listeners = new Set<() => void>();
  private readonly disposers: (() => void)[] = [];

  constructor(
    private readonly doc: Y.Doc,
    private readonly undo: Y.UndoManager,
    private readonly origin: TransactionOrigin,
  ) {
    const before = (tr: Y.Transaction): void => {
      if (tr.origin === origin) this.pre = readMixState(doc);
    };
    doc.on('beforeTransaction', before);
    this.disposers.push(() => doc.off('beforeTransaction', before));

    type StackEvent = { stackItem: { meta: Map<string, unknown> }; origin: unknown; type: 'undo' | 'redo' };
    const captured = (event: StackEvent): void => {
      if (event.origin === origin && event.type === 'undo' && this.pre) this.record(event.stackItem.meta, this.pre);
      this.pre = null;
      this.emit();
    };
    // An undone step moves to the redo stack (and back) as a new stack item: carry its words.
    const popped = (event: StackEvent): void => {
      const other = event.type === 'undo' ? undo.redoStack : undo.undoStack;
      const moved = other.at(-1);
      if (moved && !moved.meta.has(LINES)) for (const [k, v] of event.stackItem.meta) moved.meta.set(k, v);
      this.emit();
    };
    const changed = (): void => this.emit();
    undo.on('stack-item-added', captured);
    undo.on('stack-item-updated', captured);
    undo.on('stack-item-popped', popped);
    undo.on('stack-cleared', changed);
    this.disposers.push(() => {
      undo.off('stack-item-added', captured);
      undo.off('stack-item-updated', captured);
      undo.off('stack-item-popped', popped);
      undo.off('stack-cleared', changed);
    });
  }

  /** Undo steps, newest first. */
  undoSteps(): UndoStep[] {
    return [...this.undo.undoStack].reverse().map((item) => stepOf(item.meta));
  }

  /** Redo steps, the next one first. */
  redoSteps(): UndoStep[] {
    return [...this.undo.redoStack].reverse().map((item) => stepOf(item.meta));
  }

  /** Undoes the newest `count` steps (the list's "undo back to here"). */
  undoBack(count: number): void {
    for (let i = 0; i < count && this.undo.canUndo(); i++) this.undo.undo();
  }

  /** Redoes the next undone step. */
  redoNext(): void {
    this.undo.redo();
  }

  /** Returns the disposer. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  destroy(): void {
    for (const d of this.disposers.splice(0)) d();
    this.listeners.clear();
  }

  /** Adds this transaction's changes (`pre` -> now) to the step being captured. */
  private record(meta: Map<string, unknown>, pre: MixState): void {
    const now = readMixState(this.doc);
    if (!meta.has(BEFORE)) meta.set(BEFORE, pre);
    const keys = (meta.get(KEYS) as Set<string> | undefined) ?? new Set<string>();
    for (const c of listMixChanges(pre, now)) keys.add(keyOf(c));
    meta.set(KEYS, keys);
    const first = meta.get(BEFORE) as MixState;
    meta.set(LINES, listMixChanges(first, now).filter((c) => keys.has(keyOf(c))).map((c) => c.text));
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }
}

function stepOf(meta: Map<string, unknown>): UndoStep {
  const lines = (meta.get(LINES) as string[] | undefined) ?? [];
  if (lines.length === 0) return { description: 'A change that no longer differs', lines };
  return { description: lines.length > 1 ? `${lines[0]} (+${lines.length - 1} more)` : lines[0]!, lines };
}
