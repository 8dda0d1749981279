import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpUser } from '../integration/reviewHarness.ts';
import { startSecurityFixture, type SecurityFixture } from './securityHarness.ts';

/** A forwarded invite link: single-use links (the default) admit one person only. */
let fx: SecurityFixture;
beforeAll(async () => {
  fx = await startSecurityFixture();
});
afterAll(() => fx?.close());

/** Joins through the HTML page as a browser does: GET the form, POST it with its token. */
async function joinByPage(user: HttpUser, token: string, name: string): Promise<Response> {
  // Raw fetch: HttpUser keeps one cookie, and the page adds its form cookie beside the session.
  const page = await fetch(`${fx.product.url}/join/${token}`, { headers: user.cookie ? { cookie: user.cookie } : {} });
  const html = await page.text();
  const formToken = /name="formToken" value="([^"]+)"/.exec(html)?.[1];
  if (!formToken) return new Response(html, { status: page.status });
  const cookies = [user.cookie, ...page.headers.getSetCookie().map((c) => c.split(';')[0])].filter(Boolean).join('; ');
  const res = await fetch(`${fx.product.url}/join/${token}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies },
    body: new URLSearchParams({ displayName: name, formToken }).toString(),
  });
  const session = res.headers.getSetCookie().find((c) => c.startsWith('mixroom_session='));
  if (session) user.cookie = session.split(';')[0]!;
  return res;
}

describe('invite links', () => {
  it('are single-use by default: the first joiner may reopen it, a second person is refused clearly', async () => {
    const invite = await fx.owner.json<{ token: string; invite: { inviteId: string; uses: string } }>('POST', fx.api('/invites'), { role: 'artist', ttlHours: 24 });
    expect(invite.body.invite.uses).toBe('single');
    const token = invite.body.token;

    const artist = new HttpUser(fx.product.url, 'artist');
    expect((await joinByPage(artist, token, 'Art')).status).toBe(303);
    expect((await artist.json<{ member: { role: string } }>('GET', fx.api('/me'))).body.member.role).toBe('artist');
    // The same person opening the link again (another tab, later) is fine and stays themselves.
    const again = await joinByPage(artist, token, 'Art');
    expect(again.status).toBe(303);
    expect((await artist.json<{ member: { name: string } }>('GET', fx.api('/me'))).body.member.name).toBe('Art');

    // Someone the link was forwarded to.
    const other = new HttpUser(fx.product.url, 'other');
    const page = await other.request('GET', `/join/${token}`);
    expect(page.status).toBe(410);
    const text = await page.text();
    expect(text).toContain('This invite link was already used');
    expect(text).toContain('Ask the room owner for a new link');
    expect(text).not.toContain('name="displayName"');
    const api = await other.json<{ error: { code: string } }>('POST', `/api/invites/${token}/join`, { displayName: 'Other' });
    expect(api.status).toBe(410);
    expect(api.body.error.code).toBe('invite-used');
    expect((await other.json('GET', fx.api('/me'))).status).toBe(401);

    const listed = await fx.owner.json<{ invites: Array<{ inviteId: string; status: string; usedBy: string | null }> }>('GET', fx.api('/invites'));
    expect(listed.body.invites.find((i) => i.inviteId === invite.body.invite.inviteId)).toMatchObject({ status: 'used', usedBy: 'Art' });
  });

  it('two people racing for one single-use link: exactly one gets in', async () => {
    const { body } = await fx.owner.json<{ token: string }>('POST', fx.api('/invites'), { role: 'listener', ttlHours: 24, uses: 'single' });
    const racers = Array.from({ length: 6 }, (_, i) => new HttpUser(fx.product.url, `r${i}`));
    const results = await Promise.all(racers.map((u, i) => u.json('POST', `/api/invites/${body.token}/join`, { displayName: `R${i}` })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 410, 410, 410, 410, 410]);
  });

  it('a multi-use link admits everyone who has it until revoked', async () => {
    const { body } = await fx.owner.json<{ token: string; invite: { inviteId: string } }>('POST', fx.api('/invites'), { role: 'reviewer', ttlHours: 24, uses: 'multi' });
    for (const name of ['A', 'B', 'C']) {
      const user = new HttpUser(fx.product.url, name);
      expect((await joinByPage(user, body.token, name)).status).toBe(303);
      expect((await user.json<{ member: { role: string } }>('GET', fx.api('/me'))).body.member.role).toBe('reviewer');
    }
    expect((await fx.owner.json('DELETE', fx.api(`/invites/${body.invite.inviteId}`))).status).toBe(200);
    expect((await joinByPage(new HttpUser(fx.product.url, 'D'), body.token, 'D')).status).toBe(410);
  });
});
