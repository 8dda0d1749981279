import type { ReviewSnapshot } from '@mixroom/shared/review';
import { reviewActivity, type ActivityTab, type ReviewActivity } from './reviewActivity.ts';

/** Where the seen marks are kept (localStorage in the browser). */
export interface SeenStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

type Seen = Record<ActivityTab, number>;

/**
 * What this person has not seen yet in the review records: other people's comments,
 * replies and mentions (read on the Comments tab), versions and approvals (the Versions
 * tab). Seen marks are the server times of the newest record seen per tab, kept per room
 * and user, so the next visit can say what changed since this one.
 */
export class ReviewUnread {
  private seen: Seen | null;
  /** The marks as they were when the room opened: "since your last visit". */
  readonly lastVisit: Readonly<Seen> | null;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly snapshot: () => ReviewSnapshot,
    private readonly me: { id: string; name: string },
    private readonly store: SeenStore,
    private readonly key: string,
  ) {
    this.seen = readSeen(store.getItem(key));
    this.lastVisit = this.seen ? { ...this.seen } : null;
  }

  /** Everything by others, oldest first. */
  all(): ReviewActivity[] {
    return reviewActivity(this.snapshot(), this.me);
  }

  /** What has not been seen yet (everything on a first visit). */
  unread(): ReviewActivity[] {
    const seen = this.seen;
    return this.all().filter((a) => !seen || a.at > seen[a.tab]);
  }

  /** What happened since the marks this visit started with (empty on a first visit). */
  sinceLastVisit(): ReviewActivity[] {
    const last = this.lastVisit;
    return last ? this.all().filter((a) => a.at > last[a.tab]) : [];
  }

  /** Marks everything on `tab` as seen. */
  markSeen(tab: ActivityTab): void {
    const items = this.all();
    const newest = Math.max(0, ...items.filter((a) => a.tab === tab).map((a) => a.at));
    const seen: Seen = this.seen ?? { comments: 0, versions: 0 };
    if (this.seen && seen[tab] >= newest) return;
    this.seen = { ...seen, [tab]: Math.max(seen[tab], newest) };
    try {
      this.store.setItem(this.key, JSON.stringify(this.seen));
    } catch {
      // A full or disabled storage only costs the marks of the next visit.
    }
    for (const l of this.listeners) l();
  }

  /** Returns the disposer. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function readSeen(raw: string | null): Seen | null {
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as Partial<Seen>;
    const ok = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n) && n >= 0;
    return ok(v.comments) && ok(v.versions) ? { comments: v.comments, versions: v.versions } : null;
  } catch {
    return null;
  }
}
