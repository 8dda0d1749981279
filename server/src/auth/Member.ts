import type { Role } from '@mixroom/shared/protocol';

/**
 * Who is asking, resolved by the server from the session cookie for one room: what the
 * sync server's `authorize` returns and what review routes stamp on records.
 */
export interface Member {
  userId: string;
  name: string;
  role: Role;
}

/** Anything carrying request headers: a fetch `Request` or Node's `IncomingMessage`. */
export type AuthRequest =
  | { readonly headers: Headers }
  | { readonly headers: Readonly<Record<string, string | string[] | undefined>> };

/** The Cookie header of either kind of request. */
export function cookieHeaderOf(request: AuthRequest): string {
  const headers = request.headers;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get('cookie') ?? '';
  const value = (headers as Record<string, string | string[] | undefined>).cookie;
  return Array.isArray(value) ? value.join('; ') : (value ?? '');
}
