import { describe, expect, it } from 'vitest';
import { ApiRequestError, refusalOf } from './ApiRequestError.ts';

describe('refusalOf', () => {
  it("carries the server's code and message from an ApiErrorBody", async () => {
    const res = new Response(JSON.stringify({ error: { code: 'invite-expired', message: 'This invite link has expired' } }), { status: 410 });
    const error = await refusalOf(res, 'fallback');
    expect(error).toBeInstanceOf(ApiRequestError);
    expect([error.status, error.code, error.message]).toEqual([410, 'invite-expired', 'This invite link has expired']);
  });

  it('falls back (code server) on a body that is not one: a proxy page, an empty body, a wrong shape', async () => {
    for (const body of ['<html>502 Bad Gateway</html>', '', JSON.stringify({ error: 'nope' })]) {
      const error = await refusalOf(new Response(body, { status: 502 }), 'Request failed (502)');
      expect([error.status, error.code, error.message]).toEqual([502, 'server', 'Request failed (502)']);
    }
  });
});
