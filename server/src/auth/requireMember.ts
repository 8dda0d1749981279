import { createMiddleware } from 'hono/factory';
import { can, isValidRoomId } from '@mixroom/shared/protocol';
import type { Capability } from '@mixroom/shared/protocol';
import { ApiError } from '../http/ApiError.ts';
import type { Auth } from './createAuth.ts';
import type { Member } from './Member.ts';

/** Hono variables set by {@link requireMember}. */
export interface MemberVariables {
  member: Member;
  roomId: string;
}

/**
 * Route guard: resolves the session's role in the `:room` path parameter and, when a
 * capability is named, refuses roles without it. 401 = not a member (join first), 403 =
 * member whose role cannot do this. The UI mirrors these rules; this is where they hold.
 */
export function requireMember(auth: Auth, capability?: Capability) {
  return createMiddleware<{ Variables: MemberVariables }>(async (c, next) => {
    const roomId = c.req.param('room') ?? '';
    if (!isValidRoomId(roomId)) throw new ApiError('not-found', 'No such room');
    const member = await auth.authorize(c.req.raw, roomId);
    if (!member) {
      throw new ApiError('unauthenticated', 'You are not a member of this room. Open an invite link from the room owner to join.');
    }
    if (capability && !can(member.role, capability)) {
      throw new ApiError('forbidden', `Your role (${member.role}) cannot ${CAPABILITY_WORDS[capability]} in this room.`);
    }
    c.set('member', member);
    c.set('roomId', roomId);
    await next();
  });
}

const CAPABILITY_WORDS: Record<Capability, string> = {
  editMix: 'edit the mix',
  comment: 'comment',
  saveVersion: 'save versions',
  approve: 'approve versions',
  invite: 'invite people',
  upload: 'upload stems',
};
