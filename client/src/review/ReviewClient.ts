import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import type { MixState } from '@mixroom/shared/model';
import type { Role } from '@mixroom/shared/protocol';
import { observeReview, readReview, reviewDocName } from '@mixroom/shared/review';
import type { InviteUses } from '@mixroom/shared/review';
import type {
  ApprovalAction,
  ApprovalRecord,
  CommentRecord,
  MixSuggestion,
  RenderFormat,
  ReviewSnapshot,
} from '@mixroom/shared/review';
import type { CommentMarker } from './CommentMarker.ts';

/** An invite link as the owner sees it. */
export interface InviteView {
  inviteId: string;
  role: Exclude<Role, 'owner'>;
  uses: InviteUses;
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
  /** Who used up a single-use link. */
  usedBy: string | null;
  status: 'active' | 'used' | 'expired' | 'revoked';
}

/** A member of the room as the owner sees them. */
export interface MemberView {
  userId: string;
  name: string;
  role: Role;
  joinedAt: number;
}

/** A refused review request: the server's message, meant for the user. */
export class ReviewRequestError extends Error {
  override readonly name = 'ReviewRequestError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface ReviewClientOptions {
  roomId: string;
  /** `ws(s)://host/sync`: the review doc is `<room>~review` on the same endpoint. */
  syncUrl: string;
  /** Base of the HTTP API (default: same origin). */
  apiBase?: string;
}

const RESOLVED_COLOR = '#6b7580';
const OPEN_COLOR = '#ffb347';

/**
 * The browser side of review: a read-only replica of the room's `~review` document (the
 * server writes it; every change arrives live) plus the authenticated HTTP calls that ask
 * the server to write. Also serves the timeline's comment markers.
 */
export class ReviewClient {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  private snap: ReviewSnapshot;
  private readonly listeners = new Set<() => void>();
  private readonly disposeObserver: () => void;
  private readonly api: string;

  constructor(private readonly options: ReviewClientOptions) {
    this.api = `${options.apiBase ?? ''}/api/rooms/${encodeURIComponent(options.roomId)}`;
    this.snap = readReview(this.doc);
    this.provider = new WebsocketProvider(options.syncUrl, reviewDocName(options.roomId), this.doc, { disableBc: true });
    this.disposeObserver = observeReview(this.doc, () => {
      this.snap = readReview(this.doc);
      for (const l of this.listeners) l();
    });
  }

  get roomId(): string {
    return this.options.roomId;
  }

  snapshot(): ReviewSnapshot {
    return this.snap;
  }

  /** Calls `listener` after every change of the records. Returns the disposer. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Comment markers for the timeline (`MarkerSource.markers`). */
  markers(): CommentMarker[] {
    return this.snap.comments.map((c) => ({
      id: c.id,
      time: c.at,
      ...(c.end !== null ? { end: c.end } : {}),
      text: c.text,
      author: c.author.name,
      color: c.resolved ? RESOLVED_COLOR : OPEN_COLOR,
      resolved: c.resolved,
    }));
  }

  async addComment(body: { at: number; end?: number | null; text: string; versionId?: string | null; suggestion?: MixSuggestion | null }): Promise<CommentRecord> {
    return (await this.call<{ comment: CommentRecord }>('POST', '/comments', body)).comment;
  }

  async reply(commentId: string, text: string): Promise<CommentRecord> {
    return (await this.call<{ comment: CommentRecord }>('POST', `/comments/${encodeURIComponent(commentId)}/replies`, { text })).comment;
  }

  async setResolved(commentId: string, resolved: boolean): Promise<CommentRecord> {
    return (await this.call<{ comment: CommentRecord }>('PATCH', `/comments/${encodeURIComponent(commentId)}`, { resolved })).comment;
  }

  async saveVersion(name: string, note: string): Promise<{ id: string; number: number }> {
    return (await this.call<{ version: { id: string; number: number } }>('POST', '/versions', { name, note })).version;
  }

  /** `acknowledgeWarnings`: the user was shown the version's deliverable warnings and approves anyway. */
  async approve(versionId: string, action: ApprovalAction, note = '', acknowledgeWarnings = false): Promise<ApprovalRecord> {
    const body = { action, note, acknowledgeWarnings };
    return (await this.call<{ approval: ApprovalRecord }>('POST', `/versions/${encodeURIComponent(versionId)}/approvals`, body)).approval;
  }

  async rebake(versionId: string): Promise<void> {
    await this.call('POST', `/versions/${encodeURIComponent(versionId)}/bake`);
  }

  /** Parameter-level diff lines from `a` to `b` (`live` = the current mix). */
  async diff(a: string, b: string): Promise<string[]> {
    return (await this.call<{ lines: string[] }>('GET', `/versions/${encodeURIComponent(a)}/diff/${encodeURIComponent(b)}`)).lines;
  }

  /** The snapshot of a version, from the replica (no request). */
  versionState(versionId: string): MixState | null {
    return this.snap.versions.find((v) => v.id === versionId)?.state ?? null;
  }

  /** Link that downloads one format of a version (the server redirects to a short-lived URL). */
  downloadHref(versionId: string, format: RenderFormat): string {
    return `${this.api}/versions/${encodeURIComponent(versionId)}/download/${format}`;
  }

  async createInvite(role: InviteView['role'], ttlHours: number, uses: InviteUses): Promise<{ invite: InviteView; url: string }> {
    return this.call('POST', '/invites', { role, ttlHours, uses });
  }

  async listMembers(): Promise<MemberView[]> {
    return (await this.call<{ members: MemberView[] }>('GET', '/members')).members;
  }

  /** Takes effect at once, also on the member's open connection (read-only or closed). */
  async setMemberRole(userId: string, role: InviteView['role']): Promise<void> {
    await this.call('PATCH', `/members/${encodeURIComponent(userId)}`, { role });
  }

  async removeMember(userId: string): Promise<void> {
    await this.call('DELETE', `/members/${encodeURIComponent(userId)}`);
  }

  async listInvites(): Promise<InviteView[]> {
    return (await this.call<{ invites: InviteView[] }>('GET', '/invites')).invites;
  }

  async revokeInvite(inviteId: string): Promise<void> {
    await this.call('DELETE', `/invites/${encodeURIComponent(inviteId)}`);
  }

  destroy(): void {
    this.disposeObserver();
    this.listeners.clear();
    this.provider.destroy();
    this.doc.destroy();
  }

  private async call<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(this.api + path, {
      method,
      credentials: 'same-origin',
      headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const json = (await res.json().catch(() => null)) as (T & { error?: { message?: string } }) | null;
    if (!res.ok) throw new ReviewRequestError(res.status, json?.error?.message ?? `Request failed (${res.status})`);
    return json as T;
  }
}
