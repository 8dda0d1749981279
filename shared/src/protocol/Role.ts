/**
 * Room roles, enforced by the server on HTTP and on the socket. Runtime constant first,
 * type derived from it.
 */
export const ROLES = ['owner', 'engineer', 'artist', 'reviewer', 'listener'] as const;
export type Role = (typeof ROLES)[number];

/** What each role may do. The server checks these; the UI only mirrors them. */
export const ROLE_CAPABILITIES = {
  owner: { editMix: true, comment: true, saveVersion: true, approve: true, invite: true, upload: true },
  engineer: { editMix: true, comment: true, saveVersion: true, approve: false, invite: false, upload: true },
  artist: { editMix: true, comment: true, saveVersion: false, approve: true, invite: false, upload: true },
  reviewer: { editMix: false, comment: true, saveVersion: false, approve: false, invite: false, upload: false },
  listener: { editMix: false, comment: false, saveVersion: false, approve: false, invite: false, upload: false },
} as const satisfies Record<Role, Record<string, boolean>>;

/**
 * Each role in one line, as the join prompts (the invite page, an open room's dialog) and the
 * invite dialog explain it: what the person can do, in words, mirroring ROLE_CAPABILITIES.
 */
export const ROLE_SUMMARY = {
  owner: 'Runs the room: invites people, mixes, saves versions and approves.',
  engineer: 'Mixes (faders, EQ, effects), comments, and saves versions for review.',
  artist: 'Mixes, comments, and approves the version that gets delivered.',
  reviewer: 'Listens and comments; cannot change the mix.',
  listener: 'Listens and reads the comments; cannot change anything.',
} as const satisfies Record<Role, string>;

export type Capability = keyof (typeof ROLE_CAPABILITIES)['owner'];

/** True when `role` may perform `capability`. */
export function can(role: Role, capability: Capability): boolean {
  return ROLE_CAPABILITIES[role][capability];
}

/** Narrows an untrusted string to a Role. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
