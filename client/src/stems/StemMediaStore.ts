import type { StemRef, TrackState } from '@mixroom/shared/model';
import { decodeWaveformPeaks } from '@mixroom/shared/protocol';
import type { PeakLane } from './PeakLane.ts';
import type { StemMedia } from './StemMedia.ts';
import { toPeakLanes } from './toPeakLanes.ts';
import { fetchStemUrl } from './StemApi.ts';

/**
 * Per-track waveform peaks (fetched once per stem from the stored peaks file) and the
 * playback loading progress reported by the stem loader, for the arrange view.
 */
export class StemMediaStore implements StemMedia {
  private readonly peaksByKey = new Map<string, readonly PeakLane[]>();
  private readonly progressByKey = new Map<string, number>();
  /**
   * Stems that were ready once. Afterwards the loader refills chunks around the playhead on
   * every seek and as playback moves on; that is streaming, not "loading audio".
   */
  private readonly loadedOnce = new Set<string>();
  private readonly requested = new Set<string>();
  private tracks: readonly TrackState[] = [];
  private peaksView = new Map<string, readonly PeakLane[]>();
  private progressView = new Map<string, number>();
  private readonly listeners = new Set<() => void>();
  private readonly abort = new AbortController();
  private scheduled = false;

  constructor(
    private readonly roomId: string,
    private readonly onError: (message: string) => void,
  ) {}

  /** Call with the current tracks whenever the mix changes; fetches peaks for new stems. */
  setTracks(tracks: readonly TrackState[]): void {
    this.tracks = tracks;
    for (const t of tracks) if (t.stem && !this.requested.has(t.stem.key)) this.fetchPeaks(t.stem);
    this.rebuild();
  }

  /** The stem loader reports here. */
  reportProgress = (stem: StemRef, fraction: number): void => {
    this.progressByKey.set(stem.key, fraction);
    if (fraction >= 1) this.loadedOnce.add(stem.key);
    this.rebuild();
  };

  peaks(): ReadonlyMap<string, readonly PeakLane[]> {
    return this.peaksView;
  }

  progress(): ReadonlyMap<string, number> {
    return this.progressView;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  destroy(): void {
    this.abort.abort();
    this.listeners.clear();
  }

  private async fetchPeaks(stem: StemRef): Promise<void> {
    this.requested.add(stem.key);
    try {
      const url = await fetchStemUrl(this.roomId, stem.key, 'peaks', this.abort.signal);
      const res = await fetch(url, { signal: this.abort.signal });
      if (!res.ok) throw new Error(`peaks download failed (${res.status})`);
      this.peaksByKey.set(stem.key, toPeakLanes(decodeWaveformPeaks(new Uint8Array(await res.arrayBuffer()))));
      this.rebuild();
    } catch (error) {
      if (this.abort.signal.aborted) return;
      this.requested.delete(stem.key);
      this.onError(`Waveform of ${stem.fileName} could not be loaded: ${(error as Error).message}`);
    }
  }

  /** Rebuilds the per-track views at most once per frame (progress reports are frequent). */
  private rebuild(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      const peaks = new Map<string, readonly PeakLane[]>();
      const progress = new Map<string, number>();
      for (const t of this.tracks) {
        if (!t.stem) continue;
        const p = this.peaksByKey.get(t.stem.key);
        if (p) peaks.set(t.id, p);
        const f = this.progressByKey.get(t.stem.key);
        if (this.loadedOnce.has(t.stem.key)) continue;
        if (f !== undefined && f < 1) progress.set(t.id, f);
        else if (f === undefined) progress.set(t.id, 0);
      }
      this.peaksView = peaks;
      this.progressView = progress;
      for (const l of this.listeners) l();
    });
  }
}
