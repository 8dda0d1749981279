import type { ControlDetail } from './ControlEvents.ts';
import type { Gesture, MixActions, StripRef } from './MixActions.ts';

/**
 * Turns control events from knobs and faders (which carry their parameter in
 * `data-path`) into MixActions calls: drags become gestures, single edits become sets.
 * Attach `handle` to a container listening for all four control events.
 */
export class ControlRouter {
  private readonly gestures = new Map<string, Gesture>();

  constructor(
    private readonly actions: () => MixActions | null,
    private readonly ref: () => StripRef | null,
  ) {}

  readonly handle = (e: CustomEvent<ControlDetail>): void => {
    const path = (e.target as HTMLElement).dataset?.['path'];
    const actions = this.actions();
    const ref = this.ref();
    if (!path || !actions || !ref) return;
    e.stopPropagation();
    const key = `${ref.scope}:${ref.id}:${path}`;
    switch (e.type) {
      case 'control-start':
        this.gestures.get(key)?.end(e.detail.value);
        this.gestures.set(key, actions.gesture(ref, path));
        break;
      case 'control-input':
        this.gestures.get(key)?.update(e.detail.value);
        break;
      case 'control-end': {
        const g = this.gestures.get(key);
        this.gestures.delete(key);
        g?.end(e.detail.value);
        break;
      }
      case 'control-set':
        if (e.detail.nudge) actions.nudge(ref, path, e.detail.value);
        else actions.set(ref, path, e.detail.value);
        break;
    }
  };

  /** Ends every open gesture (the element went away mid-drag). */
  endAll(): void {
    for (const g of this.gestures.values()) g.end(Number.NaN);
    this.gestures.clear();
  }
}
