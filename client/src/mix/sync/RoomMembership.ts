import { isRole, type Role } from '@mixroom/shared/protocol';
import { ApiRequestError, refusalOf } from '../../api/ApiRequestError.ts';
import { createMixroomClient, pathParams } from '../../api/mixroomApi.ts';

/** Who this browser is in a room, as the server knows it (session cookie). */
export interface Member {
  userId: string;
  name: string;
  role: Role;
}

export type MembershipState =
  | { kind: 'member'; member: Member; title: string | null }
  /** Not a member yet, but the room is open (the demo room): join with a name and a role. */
  | { kind: 'can-join'; title: string | null }
  /** Invite-only room and no session for it. */
  | { kind: 'invite-only'; message: string }
  /** The server has no membership API (embedded default before invites): act locally. */
  | { kind: 'no-auth' };

const api = createMixroomClient();

const INVITE_ONLY = 'You are not a member of this room. Open an invite link from the room owner to join.';

/**
 * Asks the server who we are in `roomId` (`/access`, which answers 200 for strangers too, so
 * a first visit logs no failed request), and the room's title when we may see it.
 */
export async function fetchMembership(roomId: string, signal?: AbortSignal): Promise<MembershipState> {
  const res = await api.api.rooms[':room'].access.$get({ param: pathParams({ room: roomId }) }, signal ? { init: { signal } } : {});
  // No membership API on this server (or the SPA fallback answered): act as a local user.
  if (res.status === 404 || res.status === 405 || !(res.headers.get('content-type') ?? '').includes('json')) return { kind: 'no-auth' };
  if (!res.ok) return { kind: 'invite-only', message: (await refusalOf(res, `The room could not be opened (${res.status}).`)).message };
  const body = (await res.json().catch(() => null)) as { member?: Partial<Member> | null; open?: boolean; title?: string | null } | null;
  if (!body) return { kind: 'invite-only', message: `The room could not be opened (${res.status}).` };
  const title = typeof body.title === 'string' && body.title ? body.title : null;
  const m = body.member;
  if (m && typeof m.userId === 'string' && isRole(m.role)) {
    return { kind: 'member', member: { userId: m.userId, name: m.name ?? 'Guest', role: m.role }, title };
  }
  return body.open ? { kind: 'can-join', title } : { kind: 'invite-only', message: INVITE_ONLY };
}

/** Joins an open room; the server sets the session cookie. Throws with the server's message. */
export async function joinOpenRoom(roomId: string, displayName: string, role: Exclude<Role, 'owner'>): Promise<Member> {
  const res = await api.api.rooms[':room'].join.$post({ param: pathParams({ room: roomId }), json: { displayName, role } });
  const body = res.ok ? ((await res.json().catch(() => null)) as { member?: Partial<Member> } | null) : null;
  if (!body?.member || !isRole(body.member.role)) {
    throw res.ok ? new ApiRequestError(res.status, 'server', `Joining failed (${res.status}).`) : await refusalOf(res, `Joining failed (${res.status}).`);
  }
  return { userId: body.member.userId ?? '', name: body.member.name ?? displayName, role: body.member.role };
}
