/**
 * Private monitoring: what only this listener hears. A "listen" set acts as a local solo
 * and the monitor volume trims the output; neither touches the shared document.
 */
export class MonitorState {
  private listenSet = new Set<string>();
  private volume = 0;
  private readonly listeners = new Set<() => void>();

  get listening(): ReadonlySet<string> {
    return this.listenSet;
  }

  /** Monitor volume in dB (0 = unity). */
  get volumeDb(): number {
    return this.volume;
  }

  toggleListen(id: string): void {
    const next = new Set(this.listenSet);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    this.listenSet = next;
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
