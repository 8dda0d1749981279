import type { StripRef } from '../mix/edit/MixActions.ts';

/** How a lane records from its control while playing. Read (the default) only plays it. */
export const AUTOMATION_MODES = ['read', 'touch', 'latch', 'write'] as const;
export type AutomationMode = (typeof AUTOMATION_MODES)[number];

/** Where the choices persist between visits (localStorage in the app). */
export interface ChoiceStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** At most this many lanes are remembered as shown (a bad stored value never grows without bound). */
const MAX_SHOWN = 512;

const stripKey = (s: StripRef) => `${s.scope}:${s.id}`;
const laneKey = (s: StripRef, path: string) => `${stripKey(s)}:${path}`;

/**
 * This person's own automation choices, never shared: which lanes are shown under each strip
 * (remembered per room in `store`) and how each lane is armed for recording (Read unless set;
 * arming is forgotten on reload, like a console's safe default).
 */
export class LaneChoices {
  private readonly shown = new Map<string, string[]>();
  private readonly modes = new Map<string, AutomationMode>();
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly store: ChoiceStore | null = null,
    private readonly storeKey = 'mixroom.lanes',
  ) {
    try {
      const raw: unknown = JSON.parse(store?.getItem(storeKey) ?? '{}');
      if (raw && typeof raw === 'object') {
        let n = 0;
        for (const [strip, paths] of Object.entries(raw)) {
          if (!Array.isArray(paths)) continue;
          const ok = paths.filter((p): p is string => typeof p === 'string' && p.length < 200).slice(0, MAX_SHOWN - n);
          n += ok.length;
          if (ok.length) this.shown.set(strip, ok);
        }
      }
    } catch {
      // A corrupt stored value shows no lanes; it is overwritten on the next choice.
    }
  }

  /** The lanes shown under a strip, in the order they were opened. */
  shownLanes(strip: StripRef): readonly string[] {
    return this.shown.get(stripKey(strip)) ?? [];
  }

  isShown(strip: StripRef, path: string): boolean {
    return this.shownLanes(strip).includes(path);
  }

  setShown(strip: StripRef, path: string, shown: boolean): void {
    const key = stripKey(strip);
    const list = this.shown.get(key) ?? [];
    const has = list.includes(path);
    if (has === shown) return;
    const next = shown ? [...list, path] : list.filter((p) => p !== path);
    if (next.length) this.shown.set(key, next);
    else this.shown.delete(key);
    this.save();
    this.changed();
  }

  mode(strip: StripRef, path: string): AutomationMode {
    return this.modes.get(laneKey(strip, path)) ?? 'read';
  }

  setMode(strip: StripRef, path: string, mode: AutomationMode): void {
    const key = laneKey(strip, path);
    if (this.mode(strip, path) === mode) return;
    if (mode === 'read') this.modes.delete(key);
    else this.modes.set(key, mode);
    this.changed();
  }

  /** Every lane armed to record (not Read). */
  armed(): { strip: StripRef; path: string; mode: AutomationMode }[] {
    return [...this.modes].map(([key, mode]) => {
      const [scope = '', id = '', ...rest] = key.split(':');
      return { strip: { scope: scope as StripRef['scope'], id }, path: rest.join(':'), mode };
    });
  }

  /** Returns the disposer. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private save(): void {
    try {
      this.store?.setItem(this.storeKey, JSON.stringify(Object.fromEntries(this.shown)));
    } catch {
      // Storage full or refused: the choice still holds for this visit.
    }
  }

  private changed(): void {
    for (const l of [...this.listeners]) l();
  }
}
