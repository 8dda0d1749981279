import { describe, expect, it } from 'vitest';
import type { Actor, ApprovalRecord, CommentRecord, ReviewSnapshot, VersionRecord } from '@mixroom/shared/review';
import { mentions, reviewActivity, summarizeActivity } from './reviewActivity.ts';
import { ReviewUnread } from './ReviewUnread.ts';

const eve: Actor = { userId: 'u-eve', name: 'Eve (engineer)', role: 'engineer' };
const art: Actor = { userId: 'u-art', name: 'Art', role: 'artist' };
const hash = 'a'.repeat(64);

function comment(id: string, by: Actor, at: number, createdAt: number, text: string, replies: CommentRecord['replies'] = []): CommentRecord {
  return { id, at, end: null, text, author: by, createdAt, updatedAt: createdAt, versionId: null, resolved: false, resolvedBy: null, resolvedAt: null, replies, suggestion: null };
}
function version(id: string, n: number, by: Actor, createdAt: number): VersionRecord {
  return { id, number: n, name: `Mix ${n}`, note: '', createdBy: by, createdAt, stateHash: hash, state: {} as VersionRecord['state'] };
}
function approval(id: string, v: VersionRecord, by: Actor, at: number): ApprovalRecord {
  return { id, action: 'approve', versionId: v.id, versionNumber: v.number, versionHash: hash, renderFormat: 'wav24', renderHash: hash, by, at, note: '', warnings: [] };
}

/** A room's records that grow as the test goes. */
function records() {
  const snap: ReviewSnapshot = { room: null, comments: [], versions: [], bakes: new Map(), approvals: [] };
  return { snap, read: () => snap };
}

function memoryStore() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
}

describe('review activity', () => {
  it('reads @mentions by first name or whole name, never inside other words', () => {
    expect(mentions('@eve can you check the hats', eve.name)).toBe(true);
    expect(mentions('thanks @EveEngineer!', eve.name)).toBe(true);
    expect(mentions('email eve@example.com', eve.name)).toBe(false);
    expect(mentions('@evelyn?', eve.name)).toBe(false);
    expect(mentions('@Art', art.name)).toBe(true);
  });

  it("lists other people's comments, replies, mentions, versions and approvals, never one's own", () => {
    const { snap } = records();
    const v1 = version('v1', 1, eve, 300);
    snap.comments.push(comment('c1', art, 42, 100, 'Vocal harsh @Eve', [{ id: 'r1', author: eve, createdAt: 200, text: 'On it' }, { id: 'r2', author: art, createdAt: 400, text: 'Thanks' }]));
    snap.comments.push(comment('c2', eve, 10, 150, 'Note to self'));
    snap.versions.push(v1);
    snap.approvals.push(approval('a1', v1, art, 500));
    const forEve = reviewActivity(snap, { id: eve.userId, name: eve.name });
    expect(forEve.map((a) => [a.kind, a.text])).toEqual([
      ['mention', 'Art mentioned you at 0:42.0: “Vocal harsh @Eve”'],
      ['reply', 'Art replied at 0:42.0: “Thanks”'],
      ['approval', 'Art approved v1'],
    ]);
    expect(summarizeActivity(forEve)).toBe('1 mention of you, 1 reply, v1 approved');
    const forArt = reviewActivity(snap, { id: art.userId, name: art.name });
    expect(summarizeActivity(forArt)).toBe('1 new comment, 1 reply, 1 new version');
  });
});

describe('ReviewUnread', () => {
  it('counts what is new per tab, clears a tab when it is read, and remembers it for the next visit', () => {
    const { snap, read } = records();
    const store = memoryStore();
    const me = { id: eve.userId, name: eve.name };
    snap.comments.push(comment('c1', art, 1, 100, 'Too loud'));
    const first = new ReviewUnread(read, me, store, 'seen');
    expect(first.lastVisit).toBeNull();
    expect(first.unread()).toHaveLength(1);
    first.markSeen('comments');
    expect(first.unread()).toHaveLength(0);
    // Art saves a version and comments again: one new on each tab.
    snap.versions.push(version('v1', 1, art, 200));
    snap.comments.push(comment('c2', art, 2, 210, 'And here'));
    expect(first.unread().map((a) => a.tab)).toEqual(['versions', 'comments']);
    first.markSeen('versions');
    expect(first.unread().map((a) => a.key)).toEqual(['c:c2']);

    // Next visit: the marks are back; what came after them is "since your last visit".
    snap.approvals.push(approval('a1', snap.versions[0]!, art, 300));
    const second = new ReviewUnread(read, me, store, 'seen');
    expect(second.sinceLastVisit().map((a) => a.key)).toEqual(['c:c2', 'a:a1']);
    expect(summarizeActivity(second.sinceLastVisit())).toBe('1 new comment, v1 approved');
    // Another user of the same browser keeps their own marks.
    expect(new ReviewUnread(read, { id: art.userId, name: art.name }, store, 'seen-art').lastVisit).toBeNull();
  });

  it('ignores damaged marks (a first visit again) and survives a storage that refuses writes', () => {
    const { snap, read } = records();
    snap.comments.push(comment('c1', art, 1, 100, 'x'));
    const broken = { getItem: () => '{"comments":"yesterday"}', setItem: () => { throw new Error('quota'); } };
    const u = new ReviewUnread(read, { id: eve.userId, name: eve.name }, broken, 'seen');
    expect(u.lastVisit).toBeNull();
    expect(() => u.markSeen('comments')).not.toThrow();
    expect(u.unread()).toHaveLength(0);
  });
});
