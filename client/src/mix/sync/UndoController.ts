import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type * as Y from 'yjs';

/** Tracks whether this user's UndoManager can undo or redo, for buttons and shortcuts. */
export class UndoController implements ReactiveController {
  canUndo = false;
  canRedo = false;
  private dispose: (() => void) | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly undo: Y.UndoManager,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    const onChange = (): void => {
      this.canUndo = this.undo.canUndo();
      this.canRedo = this.undo.canRedo();
      this.host.requestUpdate();
    };
    const events = ['stack-item-added', 'stack-item-popped', 'stack-cleared', 'stack-item-updated'] as const;
    for (const ev of events) this.undo.on(ev, onChange);
    this.dispose = () => {
      for (const ev of events) this.undo.off(ev, onChange);
    };
    onChange();
  }

  hostDisconnected(): void {
    this.dispose?.();
    this.dispose = null;
  }
}
