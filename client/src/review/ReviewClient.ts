import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import type { MixState } from '@mixroom/shared/model';
import type { Role } from '@mixroom/shared/protocol';
import { observeReview, readReview, reviewDocName } from '@mixroom/shared/review';
import type { InviteUses, InviteView } from '@mixroom/shared/review';
import type {
  ApprovalAction,
  ApprovalRecord,
  CommentRecord,
  MixSuggestion,
  RenderFormat,
  ReviewSnapshot,
} from '@mixroom/shared/review';
import type { CommentMarker } from './CommentMarker.ts';
import { refusalOf } from '../api/ApiRequestError.ts';
import { createMixroomClient, pathParams, type MixroomClient } from '../api/mixroomApi.ts';

export type { InviteView } from '@mixroom/shared/review';

/** A member of the room as the owner sees them. */
export interface MemberView {
  userId: string;
  name: string;
  role: Role;
  joinedAt: number;
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
  private readonly room: MixroomClient['api']['rooms'][':room'];
  private readonly param: { room: string };
  private readonly apiBase: string;

  constructor(private readonly options: ReviewClientOptions) {
    this.apiBase = options.apiBase ?? '';
    this.room = createMixroomClient(this.apiBase).api.rooms[':room'];
    this.param = pathParams({ room: options.roomId });
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
    return (await this.call(this.room.comments.$post({ param: this.param, json: body }))).comment;
  }

  async reply(commentId: string, text: string): Promise<CommentRecord> {
    return (await this.call(this.room.comments[':id'].replies.$post({ param: this.at({ id: commentId }), json: { text } }))).comment;
  }

  async setResolved(commentId: string, resolved: boolean): Promise<CommentRecord> {
    return (await this.call(this.room.comments[':id'].$patch({ param: this.at({ id: commentId }), json: { resolved } }))).comment;
  }

  async saveVersion(name: string, note: string): Promise<{ id: string; number: number }> {
    return (await this.call(this.room.versions.$post({ param: this.param, json: { name, note } }))).version;
  }

  /** `acknowledgeWarnings`: the user was shown the version's deliverable warnings and approves anyway. */
  async approve(versionId: string, action: ApprovalAction, note = '', acknowledgeWarnings = false): Promise<ApprovalRecord> {
    const json = { action, note, acknowledgeWarnings };
    return (await this.call(this.room.versions[':id'].approvals.$post({ param: this.at({ id: versionId }), json }))).approval;
  }

  async rebake(versionId: string): Promise<void> {
    await this.call(this.room.versions[':id'].bake.$post({ param: this.at({ id: versionId }) }));
  }

  /** Parameter-level diff lines from `a` to `b` (`live` = the current mix). */
  async diff(a: string, b: string): Promise<string[]> {
    return (await this.call(this.room.versions[':a'].diff[':b'].$get({ param: this.at({ a, b }) }))).lines;
  }

  /** The snapshot of a version, from the replica (no request). */
  versionState(versionId: string): MixState | null {
    return this.snap.versions.find((v) => v.id === versionId)?.state ?? null;
  }

  /** Link that downloads one format of a version (the server redirects to a short-lived URL). */
  downloadHref(versionId: string, format: RenderFormat): string {
    return this.apiBase + this.room.versions[':id'].download[':format'].$path({ param: this.at({ id: versionId, format }) });
  }

  async createInvite(role: InviteView['role'], ttlHours: number, uses: InviteUses): Promise<{ invite: InviteView; url: string }> {
    return this.call(this.room.invites.$post({ param: this.param, json: { role, ttlHours, uses } }));
  }

  async listMembers(): Promise<MemberView[]> {
    return (await this.call(this.room.members.$get({ param: this.param }))).members;
  }

  /** Takes effect at once, also on the member's open connection (read-only or closed). */
  async setMemberRole(userId: string, role: InviteView['role']): Promise<void> {
    await this.call(this.room.members[':user'].$patch({ param: this.at({ user: userId }), json: { role } }));
  }

  async removeMember(userId: string): Promise<void> {
    await this.call(this.room.members[':user'].$delete({ param: this.at({ user: userId }) }));
  }

  async listInvites(): Promise<InviteView[]> {
    return (await this.call(this.room.invites.$get({ param: this.param }))).invites;
  }

  async revokeInvite(inviteId: string): Promise<void> {
    await this.call(this.room.invites[':invite'].$delete({ param: this.at({ invite: inviteId }) }));
  }

  destroy(): void {
    this.disposeObserver();
    this.listeners.clear();
    this.provider.destroy();
    this.doc.destroy();
  }

  /** `:room` and the other path parameters, URI-encoded. */
  private at<P extends Record<string, string>>(params: P): P & { room: string } {
    return { ...this.param, ...pathParams(params) };
  }

  /** The JSON of a successful answer; a refusal as ApiRequestError with the server's message. */
  private async call<T>(request: Promise<{ ok: boolean; status: number; json(): Promise<T> }>): Promise<T> {
    const res = await request;
    if (!res.ok) throw await refusalOf(res, `Request failed (${res.status})`);
    return (await res.json().catch(() => null)) as T;
  }
}
