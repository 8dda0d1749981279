import type { MixState } from '@mixroom/shared/model';
import { contentHash } from '@mixroom/shared/review';
import type { ReviewClient } from './ReviewClient.ts';

/** What is playing: the live mix or a saved version. */
export type AbSource = 'live' | { versionId: string };

/** Highest gain loudness matching may add; turning down is always allowed. */
const MAX_MATCH_BOOST_DB = 6;

/**
 * The A/B switch. Playback keeps running; switching only changes which mix state feeds the
 * engine's plan (the engine ramps the difference, so the switch is instant and at the same
 * playhead). Loudness matching offsets the monitor gain so both sides play at the quieter
 * side's integrated loudness, from the LUFS the bake stored. The live mix has no bake: it is
 * matched through the version whose snapshot hash equals it, or not at all (and says so).
 */
export class AbSwitch {
  private current: AbSource = 'live';
  /** The other side of the comparison ("B" when `current` is "A"). */
  private other: AbSource = 'live';
  private match = true;
  private readonly listeners = new Set<() => void>();

  private readonly disposers: (() => void)[] = [];
  private liveCheckScheduled = false;

  constructor(
    private readonly review: ReviewClient,
    /** The live mix state, read when needed (hash lookups). */
    private readonly liveState: () => MixState,
    /** Tells when the live mix changes (returns the disposer). */
    onLiveChange?: (listener: () => void) => () => void,
  ) {
    // A bake finishing changes the loudness a match is computed from.
    this.disposers.push(
      review.onChange(() => {
        if (this.current !== 'live' || this.match) this.emit();
      }),
    );
    // An edit of the live mix can make it match a baked version or stop matching one: the
    // matched gain and its words change with it, even while nobody touches the A/B switch.
    if (onLiveChange) this.disposers.push(onLiveChange(() => this.scheduleLiveCheck()));
  }

  dispose(): void {
    for (const d of this.disposers.splice(0)) d();
    this.listeners.clear();
  }

  /** Coalesced per microtask: a drag commits about ten times a second. */
  private scheduleLiveCheck(): void {
    if (this.liveCheckScheduled) return;
    this.liveCheckScheduled = true;
    queueMicrotask(() => {
      this.liveCheckScheduled = false;
      if (this.match && (this.current === 'live' || this.other === 'live')) this.emit();
    });
  }

  get source(): AbSource {
    return this.current;
  }

  get matchLoudness(): boolean {
    return this.match;
  }

  /** Plays `source`; the previous source becomes the other side of the comparison. */
  select(source: AbSource): void {
    if (sameSource(source, this.current)) return;
    this.other = this.current;
    this.current = source;
    this.emit();
  }

  /** Swaps to the other side of the comparison. */
  toggle(): void {
    this.select(this.other);
  }

  setMatchLoudness(on: boolean): void {
    this.match = on;
    this.emit();
  }

  /** The state to play instead of the live doc, or null for the live mix. */
  stateOverride(): MixState | null {
    return this.current === 'live' ? null : this.review.versionState(this.current.versionId);
  }

  /** `v1 “Rough”` while a saved version plays, null for the live mix. */
  versionLabel(): string | null {
    if (this.current === 'live') return null;
    const id = this.current.versionId;
    const v = this.review.snapshot().versions.find((x) => x.id === id);
    return v ? `v${v.number} “${v.name}”` : 'a removed version';
  }

  /** Integrated loudness of a source from its bake, or null when unknown. */
  lufsOf(source: AbSource): number | null {
    const snap = this.review.snapshot();
    let versionId: string | null = source === 'live' ? null : source.versionId;
    if (versionId === null) {
      const hash = contentHash(this.liveState());
      versionId = snap.versions.find((v) => v.stateHash === hash)?.id ?? null;
    }
    if (versionId === null) return null;
    return snap.bakes.get(versionId)?.loudness?.integratedLufs ?? null;
  }

  /** Monitor gain offset for what is playing (0 without matching or without both loudnesses). */
  gainDb(): number {
    if (!this.match) return 0;
    const mine = this.lufsOf(this.current);
    const theirs = this.lufsOf(this.other);
    if (mine === null || theirs === null) return 0;
    return Math.min(MAX_MATCH_BOOST_DB, Math.min(mine, theirs) - mine);
  }

  /** Words for the indicator: what plays, and how it is matched. */
  describe(): string {
    const snap = this.review.snapshot();
    const name = (s: AbSource) => {
      if (s === 'live') return 'Live mix';
      const v = snap.versions.find((x) => x.id === s.versionId);
      return v ? `v${v.number} ${v.name}` : 'a missing version';
    };
    if (!this.match) return `Playing: ${name(this.current)}`;
    const mine = this.lufsOf(this.current);
    if (mine === null) return `Playing: ${name(this.current)} (not loudness-matched: no bake for it)`;
    const gain = this.gainDb();
    return `Playing: ${name(this.current)} at ${mine.toFixed(1)} LUFS, ${gain === 0 ? 'reference level' : `${gain.toFixed(1)} dB to match ${name(this.other)}`}`;
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

function sameSource(a: AbSource, b: AbSource): boolean {
  return a === 'live' || b === 'live' ? a === b : a.versionId === b.versionId;
}
