import { readApiError } from '@mixroom/shared/protocol';

/**
 * A refused or failed API call, as every client module reports it: the HTTP status (0: the
 * server was not reached), the server's code from shared/protocol's set (or `network` /
 * `server` when the answer was not an `ApiErrorBody`) and a message meant for the user.
 */
export class ApiRequestError extends Error {
  override name = 'ApiRequestError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The ApiRequestError of a refused answer: the server's code and message, or `fallback`
 * (code `server`) when the body is not an `ApiErrorBody` (a proxy's error page, an empty body).
 */
export async function refusalOf(res: { status: number; json(): Promise<unknown> }, fallback: string): Promise<ApiRequestError> {
  const refusal = readApiError(await res.json().catch(() => null));
  return new ApiRequestError(res.status, refusal?.code ?? 'server', refusal?.message ?? fallback);
}
