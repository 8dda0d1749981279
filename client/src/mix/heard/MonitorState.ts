/**
 * Private monitoring: what only this listener hears. A "listen" set acts as a local solo
 * and the monitor volume trims the output; a "band listen" set plays a track's de-esser
 * band alone (to tune its frequency by ear). None of them touches the shared document.
 */
export class MonitorState {
  private listenSet = new Set<string>();
  private bandSet = new Set<string>();
  private volume = 0;
  private readonly listeners = new Set<() => void>();

  get listening(): ReadonlySet<string> {
    return this.listenSet;
  }

  /** Tracks whose de-esser band this listener hears alone (applyBandListen). */
  get bandListening(): ReadonlySet<string> {
    return this.bandSet;
  }

  toggleBandListen(id: string): void {
    this.bandSet = toggled(this.bandSet, id);
    this.emit();
  }

  /** Monitor volume in dB (0 = unity). */
  get volumeDb(): number {
    return this.volume;
  }

  toggleListen(id: string): void {
    this.listenSet = toggled(this.listenSet, id);
    this.emit();
  }

  clearListen(): void {
    if (this.listenSet.size === 0) return;
    this.listenSet = new Set();
    this.emit();
  }

  setVolumeDb(db: number): void {
    const v = Math.min(12, Math.max(-100, Number.isFinite(db) ? db : 0));
    if (v === this.volume) return;
    this.volume = v;
    this.emit();
  }

  /** Returns the disposer. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }
}

/** A new set with `id` added, or removed when present (a new object, so views see the change). */
function toggled(set: ReadonlySet<string>, id: string): Set<string> {
  const next = new Set(set);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
}
