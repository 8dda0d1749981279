import type { ReviewSnapshot } from '@mixroom/shared/review';
import { formatTimecode } from './formatReview.ts';

/** Where an activity is read: the comments or the versions tab of the review drawer. */
export type ActivityTab = 'comments' | 'versions';

/** One thing someone else did in the review records. */
export interface ReviewActivity {
  /** Stable per record (a reply and its comment differ), so a notice is shown once. */
  key: string;
  kind: 'comment' | 'reply' | 'mention' | 'version' | 'approval';
  tab: ActivityTab;
  /** Server time of the record (ms). */
  at: number;
  /** One line for a notice, e.g. `Art commented at 0:42: “Vocal harsh”`. */
  text: string;
  /** The comment to bring into view, if any. */
  commentId: string | null;
}

/** Whether `text` mentions someone called `name` (`@Eve` for "Eve (engineer)", or `@EveEngineer`). */
export function mentions(text: string, name: string): boolean {
  const words = name.normalize('NFC').match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length === 0) return false;
  const handles = new Set([words[0]!.toLocaleLowerCase(), words.join('').toLocaleLowerCase()]);
  for (const m of text.normalize('NFC').matchAll(/@([\p{L}\p{N}_.-]+)/gu)) {
    const handle = m[1]!.replace(/[_.-]/g, '').toLocaleLowerCase();
    if (handles.has(handle)) return true;
  }
  return false;
}

const quote = (text: string) => `“${text.length > 80 ? `${text.slice(0, 79)}…` : text}”`;

/**
 * What other people did in a room's review records, oldest first: comments, replies (a
 * comment or reply naming `me` with `@` is a mention), versions saved and approvals. Records
 * by `me` are left out: nobody needs telling what they did themselves.
 */
export function reviewActivity(snap: ReviewSnapshot, me: { id: string; name: string }): ReviewActivity[] {
  const out: ReviewActivity[] = [];
  for (const c of snap.comments) {
    const where = c.end !== null ? `${formatTimecode(c.at)}–${formatTimecode(c.end)}` : formatTimecode(c.at);
    if (c.author.userId !== me.id) {
      const mention = mentions(c.text, me.name);
      out.push({
        key: `c:${c.id}`,
        kind: mention ? 'mention' : 'comment',
        tab: 'comments',
        at: c.createdAt,
        text: `${c.author.name} ${mention ? 'mentioned you' : 'commented'} at ${where}: ${quote(c.text)}`,
        commentId: c.id,
      });
    }
    for (const r of c.replies) {
      if (r.author.userId === me.id) continue;
      const mention = mentions(r.text, me.name);
      out.push({
        key: `r:${r.id}`,
        kind: mention ? 'mention' : 'reply',
        tab: 'comments',
        at: r.createdAt,
        text: `${r.author.name} ${mention ? 'mentioned you in a reply' : 'replied'} at ${where}: ${quote(r.text)}`,
        commentId: c.id,
      });
    }
  }
  for (const v of snap.versions) {
    if (v.createdBy.userId === me.id) continue;
    out.push({ key: `v:${v.id}`, kind: 'version', tab: 'versions', at: v.createdAt, text: `${v.createdBy.name} saved v${v.number} “${v.name}”`, commentId: null });
  }
  for (const a of snap.approvals) {
    if (a.by.userId === me.id) continue;
    const verb = a.action === 'approve' ? 'approved' : 'revoked the approval of';
    out.push({ key: `a:${a.id}`, kind: 'approval', tab: 'versions', at: a.at, text: `${a.by.name} ${verb} v${a.versionNumber}`, commentId: null });
  }
  return out.sort((a, b) => a.at - b.at);
}

/**
 * A short line for a batch of activity, e.g. `3 new comments, 1 reply, v4 approved`; empty
 * when there is nothing.
 */
export function summarizeActivity(items: readonly ReviewActivity[]): string {
  const count = (kind: ReviewActivity['kind']) => items.filter((i) => i.kind === kind).length;
  const plural = (n: number, one: string, many: string) => (n === 0 ? null : `${n} ${n === 1 ? one : many}`);
  const parts = [
    plural(count('mention'), 'mention of you', 'mentions of you'),
    plural(count('comment'), 'new comment', 'new comments'),
    plural(count('reply'), 'reply', 'replies'),
    plural(count('version'), 'new version', 'new versions'),
  ];
  for (const a of items.filter((i) => i.kind === 'approval')) parts.push(a.text.replace(/^.*? (approved|revoked the approval of) (v\d+)$/, (_m, verb: string, v: string) => (verb === 'approved' ? `${v} approved` : `${v} approval revoked`)));
  return parts.filter(Boolean).join(', ');
}
