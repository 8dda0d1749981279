/** The review drawer's tabs. */
export type ReviewTab = 'comments' | 'versions' | 'invite';

/** Where a new comment is pinned: a time, or a range `at..end` (seconds). */
export interface CommentDraft {
  at: number;
  end: number | null;
}

/** One decimal of a second: what the composer shows and the server stores. */
const round = (t: number) => Math.round(Math.max(0, t) * 10) / 10;

/**
 * What the review drawer shows, kept apart from the elements that draw it so it outlives
 * them: open or closed, which tab (it reopens where it was left), the comment being written
 * (started by `C`, `Shift+C`, a range drag or a marker) and the comment to bring into view.
 */
export class ReviewView {
  private state = {
    open: false,
    tab: 'comments' as ReviewTab,
    draft: null as CommentDraft | null,
    /** A comment to scroll to and highlight (a timeline marker was clicked). */
    focus: null as string | null,
  };
  private readonly listeners = new Set<() => void>();

  get open(): boolean {
    return this.state.open;
  }

  get tab(): ReviewTab {
    return this.state.tab;
  }

  get draft(): CommentDraft | null {
    return this.state.draft;
  }

  get focus(): string | null {
    return this.state.focus;
  }

  setOpen(open: boolean): void {
    this.patch({ open });
  }

  toggle(): void {
    this.patch({ open: !this.state.open });
  }

  showTab(tab: ReviewTab): void {
    this.patch({ tab });
  }

  /** Opens the composer at a time or a range (an empty or inverted range becomes a point). */
  compose(at: number, end: number | null = null): void {
    const start = round(Math.min(at, end ?? at));
    const stop = end === null ? null : round(Math.max(at, end));
    this.patch({ open: true, tab: 'comments', draft: { at: start, end: stop !== null && stop > start ? stop : null } });
  }

  discardDraft(): void {
    this.patch({ draft: null });
  }

  /** Opens the comments on one comment (it scrolls into view, highlighted). */
  showComment(id: string): void {
    this.patch({ open: true, tab: 'comments', focus: id });
  }

  /** Returns the disposer. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private patch(next: Partial<typeof this.state>): void {
    const merged = { ...this.state, ...next };
    if (Object.keys(next).every((k) => merged[k as keyof typeof merged] === this.state[k as keyof typeof merged])) return;
    this.state = merged;
    for (const l of this.listeners) l();
  }
}
