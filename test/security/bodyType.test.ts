import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSecurityFixture, type SecurityFixture } from './securityHarness.ts';

/**
 * "Simple" bodies a browser sends cross-site without a preflight (text/plain, forms) must not
 * pass as API calls, even with a valid cookie and no Origin header.
 */
let fx: SecurityFixture;
beforeAll(async () => {
  fx = await startSecurityFixture();
});
afterAll(() => fx?.close());

const raw = (fxUrl: string, path: string, cookie: string, type: string, body: string) =>
  fetch(fxUrl + path, { method: 'POST', headers: { cookie, 'content-type': type }, body });

describe('JSON APIs', () => {
  it('refuse text/plain JSON, urlencoded and multipart bodies with 415/400 and change nothing', async () => {
    const { owner, api, product } = fx;
    const cases = [
      { path: api('/comments'), json: { at: 1, text: 'forged' }, form: 'at=1&text=forged' },
      { path: api('/invites'), json: { role: 'engineer', ttlHours: 24 }, form: 'role=engineer&ttlHours=24' },
      { path: api('/versions'), json: { name: 'forged' }, form: 'name=forged' },
      { path: '/api/rooms', json: { title: 'forged', displayName: 'M' }, form: 'title=forged&displayName=M' },
      { path: `/api/rooms/demo/join`, json: { displayName: 'M', role: 'engineer' }, form: 'displayName=M&role=engineer' },
      { path: api('/stems/uploads'), json: { fileName: 'x.wav', size: 1000 }, form: 'fileName=x.wav&size=1000' },
    ];
    const before = await owner.json<{ comments: unknown[]; versions: unknown[] }>('GET', api('/review'));
    const invitesBefore = (await owner.json<{ invites: unknown[] }>('GET', api('/invites'))).body.invites.length;
    for (const c of cases) {
      for (const [type, body] of [
        ['text/plain', JSON.stringify(c.json)],
        ['text/plain;charset=UTF-8', JSON.stringify(c.json)],
        ['application/x-www-form-urlencoded', c.form],
        ['multipart/form-data; boundary=x', `--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n`],
      ] as const) {
        const res = await raw(product.url, c.path, owner.cookie, type, body);
        expect({ path: c.path, type, refused: res.status === 415 || res.status === 400, setsCookie: res.headers.getSetCookie().length > 0 }).toEqual({
          path: c.path,
          type,
          refused: true,
          setsCookie: false,
        });
        expect(await res.text()).toMatch(/must be JSON/);
      }
    }
    const after = await owner.json<{ comments: unknown[]; versions: unknown[] }>('GET', api('/review'));
    expect(after.body.comments.length).toBe(before.body.comments.length);
    expect(after.body.versions.length).toBe(before.body.versions.length);
    expect((await owner.json<{ invites: unknown[] }>('GET', api('/invites'))).body.invites.length).toBe(invitesBefore);
    // The same calls as JSON work.
    expect((await owner.json('POST', api('/comments'), { at: 1, text: 'real' })).status).toBe(201);
  });
});
