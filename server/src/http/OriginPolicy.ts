/**
 * Which browser origins may change state here: the public origin (`PUBLIC_URL`) or, in local
 * mode (no `PUBLIC_URL`), `http://localhost:PORT`, `http://127.0.0.1:PORT` and `http://[::1]:PORT`.
 *
 * Checked on every WebSocket upgrade and every request other than GET/HEAD, so a page on
 * another site can neither open the sync socket as its visitor nor post to the API with the
 * visitor's cookie (CSRF, login CSRF, cross-site WebSocket hijacking).
 *
 * A request with neither `Origin` nor `Sec-Fetch-Site` is allowed on purpose: browsers send
 * `Origin` on every non-GET/HEAD fetch, form post and WebSocket handshake (and
 * `Sec-Fetch-Site` on every request), so such a request comes from curl, a script or another
 * server, which could send any header it likes anyway and cannot ride a victim's cookie.
 */
export interface OriginPolicy {
  /** Null when allowed; otherwise a message saying why, for a 403 or a socket close. */
  check(headers: OriginHeaders): string | null;
  /** The origins allowed right now (the port is known once the server listens). */
  allowedOrigins(): readonly string[];
}

export interface OriginHeaders {
  readonly origin: string | null;
  readonly secFetchSite: string | null;
}

/**
 * @param publicUrl `PUBLIC_URL` or null for local mode.
 * @param port the listening port; a function because with `PORT=0` it is known only later.
 * @param scheme of the local-mode origins: `https` when the server does TLS itself.
 */
export function createOriginPolicy(publicUrl: string | null, port: () => number, scheme: 'http' | 'https' = 'http'): OriginPolicy {
  const publicOrigin = publicUrl === null ? null : new URL(publicUrl).origin;
  const allowedOrigins = (): string[] =>
    publicOrigin !== null ? [publicOrigin] : [`${scheme}://localhost:${port()}`, `${scheme}://127.0.0.1:${port()}`, `${scheme}://[::1]:${port()}`];
  return {
    allowedOrigins,
    check({ origin, secFetchSite }) {
      // `same-site` is refused too: another port or subdomain is another app.
      if (secFetchSite !== null && secFetchSite !== 'same-origin' && secFetchSite !== 'none') {
        return `Refused a ${secFetchSite} request: Mixroom accepts changes only from its own pages.`;
      }
      if (origin === null) return null;
      if (origin === 'null') return 'Refused a request from an opaque origin (Origin: null).';
      if (allowedOrigins().includes(origin)) return null;
      return publicOrigin === null
        ? `Refused a request from ${origin}: this server runs in local mode and accepts only ${allowedOrigins().join(', ')}. To use it from another address, set PUBLIC_URL.`
        : `Refused a request from ${origin}: this server's public URL is ${publicOrigin}.`;
    },
  };
}

/** Reads the two headers from a fetch `Headers` or Node's header record. */
export function originHeadersOf(headers: Headers | Readonly<Record<string, string | string[] | undefined>>): OriginHeaders {
  const get = (name: string): string | null => {
    if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name);
    const value = (headers as Record<string, string | string[] | undefined>)[name];
    return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
  };
  return { origin: get('origin'), secFetchSite: get('sec-fetch-site') };
}
