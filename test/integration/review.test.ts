import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { MixState } from '@mixroom/shared/model';
import { readMixState } from '@mixroom/shared/model';
import { addTrack, removeBus, setMasterParam, setTrackParam } from '@mixroom/shared/ops';
import { CLOSE_CODES, createOrigin, ROLES, type Role, type RoomId } from '@mixroom/shared/protocol';
import { applyMixChanges, contentHash, formatDb, listMixChanges, readReview, reviewDocName, reviewRoots } from '@mixroom/shared/review';
import type { ApprovalRecord, BakeRecord, CommentRecord } from '@mixroom/shared/review';
import { floatWav, sine } from '../renderFixtures.ts';
import { makeTempDir, waitFor } from './syncHarness.ts';
import {
  connectWithCookie,
  HttpUser,
  sha256,
  startReviewServer,
  startS3,
  whenSocketSynced,
  type ReviewServer,
  type SocketClient,
} from './reviewHarness.ts';

type Who = Role | 'stranger';
const WHO: readonly Who[] = [...ROLES, 'stranger'];
const SR = 48_000;

let tmp: Awaited<ReturnType<typeof makeTempDir>>;
let s3: Awaited<ReturnType<typeof startS3>>;
let rs: ReviewServer;
let roomId: string;
let trackId: string;
let v1: string;
/** The engineer's 'Vocal up' version (set by the versions test). */
let vocalUp: string;
const users = {} as Record<Who, HttpUser>;
const inviteTokens = {} as Record<Exclude<Role, 'owner'>, string>;
const sockets: SocketClient[] = [];
let clockSkew = 0;
const now = () => Date.now() + clockSkew;

const api = (path: string) => `/api/rooms/${roomId}${path}`;
const serverMix = (): Promise<MixState> => rs.server.services.rooms.withRoom(roomId as RoomId, (doc) => readMixState(doc));
const serverReview = () => rs.server.services.rooms.withRoom(reviewDocName(roomId) as RoomId, (doc) => readReview(doc));
function socket(who: Who, docName: string): SocketClient {
  const client = connectWithCookie(rs.server.url, docName, users[who].cookie);
  sockets.push(client);
  return client;
}

beforeAll(async () => {
  tmp = await makeTempDir('mixroom-review-');
  s3 = await startS3(tmp.path);
  rs = await startReviewServer(tmp.path, s3.opened, now);
  for (const who of WHO) users[who] = new HttpUser(rs.server.url, who);

  const created = await users.owner.json<{ room: { roomId: string } }>('POST', '/api/rooms', { title: 'Night Drive', displayName: 'Olive' });
  expect(created.status).toBe(201);
  roomId = created.body.room.roomId;
  for (const role of ['engineer', 'artist', 'reviewer', 'listener'] as const) {
    const invite = await users.owner.json<{ token: string; url: string }>('POST', api('/invites'), { role, ttlHours: 24 });
    expect(invite.status).toBe(201);
    expect(invite.body.url).toBe(`http://localhost:${rs.server.port}/join/${invite.body.token}`);
    inviteTokens[role] = invite.body.token;
    const joined = await users[role].json<{ member: { role: Role } }>('POST', `/api/invites/${invite.body.token}/join`, { displayName: `The ${role}` });
    expect(joined.status).toBe(200);
    expect(joined.body.member.role).toBe(role);
  }

  // A real stem in S3 (2 s, 440 Hz at -12 dBFS, stereo) and a track for it, added by the engineer's socket.
  const frames = 2 * SR;
  const tone = sine(frames, 440, 0.25, SR);
  await s3.objects.put(`rooms/${roomId}/stems/tone.wav`, floatWav([tone, tone], SR), 'audio/wav');
  const engineer = socket('engineer', roomId);
  await whenSocketSynced(engineer);
  // A dry mix: one track to the master (the default aux buses are not what these tests are about).
  for (const bus of readMixState(engineer.doc).buses) removeBus(engineer.doc, { busId: bus.id }, createOrigin('local-user', 'engineer'));
  trackId = addTrack(
    engineer.doc,
    { name: 'Vocal', stem: { key: `rooms/${roomId}/stems/tone.wav`, fileName: 'tone.wav', sampleRate: SR, channels: 2, frames } },
    createOrigin('local-user', 'engineer'),
  );
  for (let i = 0; i < 200 && !(await serverMix()).tracks.some((t) => t.id === trackId); i++) await new Promise((r) => setTimeout(r, 20));
  expect((await serverMix()).tracks.map((t) => t.name)).toEqual(['Vocal']);

  const saved = await users.owner.json<{ version: { id: string } }>('POST', api('/versions'), { name: 'First pass', note: 'rough' });
  expect(saved.status).toBe(201);
  v1 = saved.body.version.id;
  await rs.review.bakesIdle();
  const bake = (await serverReview()).bakes.get(v1);
  expect({ status: bake?.status, error: bake?.error }).toEqual({ status: 'done', error: null });
}, 180_000);

// A test's sockets end with it: kept open they piled up over the file (and a refused one kept
// reconnecting every 200 ms until the last test).
afterEach(() => {
  for (const client of sockets.splice(0)) client.destroy();
});
afterAll(async () => {
  for (const client of sockets) client.destroy();
  await rs?.close();
  await s3?.s3.close();
  await tmp?.remove();
});

describe('rooms, sessions and invites', () => {
  it('gives every invited user the role of their link, and the owner ownership', async () => {
    for (const who of ROLES) {
      const me = await users[who].json<{ member: { role: Role; name: string } }>('GET', api('/me'));
      expect(me.status).toBe(200);
      expect(me.body.member.role).toBe(who);
    }
    expect((await users.stranger.json('GET', api('/me'))).status).toBe(401);
  });

  it('refuses a forged link (role changed in the payload) with a clear page and API error', async () => {
    const token = inviteTokens.listener;
    const [body, mac] = token.split('.') as [string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
    const forged = `${Buffer.from(JSON.stringify({ ...payload, role: 'artist' })).toString('base64url')}.${mac}`;
    const page = await users.stranger.request('GET', `/join/${forged}`);
    expect(page.status).toBe(403);
    const html = await page.text();
    expect(html).toContain('This invite link is not valid');
    expect(html).not.toMatch(/at .*\.ts:\d+/);
    const apiJoin = await users.stranger.json<{ error: { code: string } }>('POST', `/api/invites/${forged}/join`, { displayName: 'Mallory' });
    expect(apiJoin.status).toBe(403);
    expect(apiJoin.body.error.code).toBe('invite-invalid');
    const garbage = await users.stranger.request('GET', '/join/not-a-token');
    expect(garbage.status).toBe(403);
    expect(users.stranger.cookie).toBe('');
  });

  it('refuses an expired link', async () => {
    const invite = await users.owner.json<{ token: string }>('POST', api('/invites'), { role: 'reviewer', ttlHours: 1 });
    clockSkew = 2 * 3600_000;
    try {
      const page = await users.stranger.request('GET', `/join/${invite.body.token}`);
      expect(page.status).toBe(410);
      expect(await page.text()).toContain('This invite link has expired');
      const apiJoin = await users.stranger.json<{ error: { code: string } }>('POST', `/api/invites/${invite.body.token}/join`, { displayName: 'Late' });
      expect(apiJoin.body.error.code).toBe('invite-expired');
    } finally {
      clockSkew = 0;
    }
  });

  it('revoking a link refuses new joins and shuts out who joined through it, on HTTP and socket', async () => {
    const invite = await users.owner.json<{ token: string; invite: { inviteId: string } }>('POST', api('/invites'), { role: 'reviewer', ttlHours: 24, uses: 'multi' });
    const guest = new HttpUser(rs.server.url, 'guest');
    expect((await guest.json('POST', `/api/invites/${invite.body.token}/join`, { displayName: 'Guest' })).status).toBe(200);
    expect((await guest.json('GET', api('/me'))).status).toBe(200);
    const list = await users.owner.json<{ invites: Array<{ inviteId: string; status: string }> }>('GET', api('/invites'));
    expect(list.body.invites.find((i) => i.inviteId === invite.body.invite.inviteId)?.status).toBe('active');

    expect((await users.engineer.json('DELETE', api(`/invites/${invite.body.invite.inviteId}`))).status).toBe(403);
    expect((await users.owner.json('DELETE', api(`/invites/${invite.body.invite.inviteId}`))).status).toBe(200);
    const page = await new HttpUser(rs.server.url, 'late').request('GET', `/join/${invite.body.token}`);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('revoked by the room owner');
    expect((await guest.json('GET', api('/me'))).status).toBe(401);
    const ws = connectWithCookie(rs.server.url, roomId, guest.cookie);
    sockets.push(ws);
    await waitFor('revoked socket refused', () => ws.closeCodes.includes(CLOSE_CODES.unauthorized));
  });

  it('the join page asks for a display name and sets the session', async () => {
    const invite = await users.owner.json<{ token: string }>('POST', api('/invites'), { role: 'listener', ttlHours: 24 });
    const visitor = new HttpUser(rs.server.url, 'visitor');
    const form = await visitor.request('GET', `/join/${invite.body.token}`);
    expect(form.status).toBe(200);
    const page = await form.text();
    expect(page).toContain('name="displayName"');
    // The page's CSRF token, bound to the visitor cookie the page set (see test/security/csrf).
    const formToken = /name="formToken" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const formCookie = visitor.cookie;
    const empty = await visitor.request('POST', `/join/${invite.body.token}`, undefined, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(empty.status).toBe(403);
    const blank = await fetch(`${rs.server.url}/join/${invite.body.token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: formCookie },
      body: `displayName=&formToken=${formToken}`,
    });
    expect(blank.status).toBe(400);
    const res = await fetch(`${rs.server.url}/join/${invite.body.token}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: formCookie },
      body: `displayName=Lena&formToken=${formToken}`,
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/room/${roomId}`);
    visitor.cookie = (res.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
    expect((await visitor.json<{ member: { name: string; role: string } }>('GET', api('/me'))).body.member).toMatchObject({ name: 'Lena', role: 'listener' });
  });

  it('open demo room: anyone joins with a name and a non-owner role, nobody can invite', async () => {
    const visitor = new HttpUser(rs.server.url, 'demo');
    expect((await visitor.json('GET', '/api/rooms/demo/me')).status).toBe(401);
    expect((await visitor.json('POST', '/api/rooms/demo/join', { displayName: 'Dee', role: 'owner' })).status).toBe(400);
    expect((await visitor.json('POST', '/api/rooms/demo/join', { displayName: 'Dee', role: 'artist' })).status).toBe(200);
    expect((await visitor.json<{ member: { role: string } }>('GET', '/api/rooms/demo/me')).body.member.role).toBe('artist');
    expect((await visitor.json('POST', '/api/rooms/demo/invites', { role: 'listener' })).status).toBe(403);
    expect((await visitor.json('POST', `/api/rooms/${roomId}/join`, { displayName: 'Dee', role: 'artist' })).status).toBe(403);
  });
});

describe('role x action matrix', () => {
  it('HTTP: every role against every action', async () => {
    const first = await users.owner.json<{ comment: CommentRecord }>('POST', api('/comments'), { at: 1, text: 'seed' });
    const commentId = first.body.comment.id;
    const member = (ok: number) => ({ owner: ok, engineer: ok, artist: ok, reviewer: ok, listener: ok, stranger: 401 });
    const editors = (ok: number, who: Role[]) =>
      Object.fromEntries(WHO.map((w) => [w, w === 'stranger' ? 401 : who.includes(w as Role) ? ok : 403])) as Record<Who, number>;
    const actions: Array<{ name: string; run: (u: HttpUser) => Promise<number>; expect: Record<Who, number> }> = [
      { name: 'read review', run: async (u) => (await u.json('GET', api('/review'))).status, expect: member(200) },
      { name: 'list versions', run: async (u) => (await u.json('GET', api('/versions'))).status, expect: member(200) },
      { name: 'diff', run: async (u) => (await u.json('GET', api(`/versions/${v1}/diff/live`))).status, expect: member(200) },
      { name: 'download', run: async (u) => (await u.request('GET', api(`/versions/${v1}/download/wav16`))).status, expect: member(302) },
      { name: 'comment', run: async (u) => (await u.json('POST', api('/comments'), { at: 2, text: `by ${u.label}` })).status, expect: editors(201, ['owner', 'engineer', 'artist', 'reviewer']) },
      { name: 'reply', run: async (u) => (await u.json('POST', api(`/comments/${commentId}/replies`), { text: 'ok' })).status, expect: editors(201, ['owner', 'engineer', 'artist', 'reviewer']) },
      { name: 'resolve', run: async (u) => (await u.json('PATCH', api(`/comments/${commentId}`), { resolved: true })).status, expect: editors(200, ['owner', 'engineer', 'artist', 'reviewer']) },
      { name: 'save version', run: async (u) => (await u.json('POST', api('/versions'), { name: `by ${u.label}` })).status, expect: editors(201, ['owner', 'engineer']) },
      { name: 'approve', run: async (u) => (await u.json('POST', api(`/versions/${v1}/approvals`), { action: 'approve' })).status, expect: editors(201, ['owner', 'artist']) },
      { name: 'invite', run: async (u) => (await u.json('POST', api('/invites'), { role: 'listener' })).status, expect: editors(201, ['owner']) },
      { name: 'list invites', run: async (u) => (await u.json('GET', api('/invites'))).status, expect: editors(200, ['owner']) },
    ];
    const got: Record<string, Record<string, number>> = {};
    const want: Record<string, Record<string, number>> = {};
    for (const action of actions) {
      got[action.name] = {};
      want[action.name] = action.expect;
      for (const who of WHO) got[action.name]![who] = await action.run(users[who]);
    }
    expect(got).toEqual(want);
    // The records name the session's user, whatever a client might send.
    const spoof = await users.reviewer.json<{ comment: CommentRecord }>('POST', api('/comments'), { at: 3, text: 'hi', author: { userId: 'x', name: 'Owner', role: 'owner' } });
    expect(spoof.body.comment.author).toMatchObject({ name: 'The reviewer', role: 'reviewer' });
    await rs.review.bakesIdle();
  });

  it('socket: editors write the mix, reviewer and listener are told read-only and dropped, strangers refused', async () => {
    const before = (await serverMix()).master.gain;
    const results: Record<string, string> = {};
    for (const [i, who] of WHO.entries()) {
      const client = socket(who, roomId);
      if (who === 'stranger') {
        await waitFor('stranger refused', () => client.closeCodes.includes(CLOSE_CODES.unauthorized));
        results[who] = 'refused';
        continue;
      }
      await whenSocketSynced(client);
      const value = -1 - i;
      setMasterParam(client.doc, { param: 'gain', value }, createOrigin('local-user', who));
      if (who === 'reviewer' || who === 'listener') {
        await waitFor('read-only notice', () => client.notices.length >= 2);
        results[who] = `dropped:${client.notices.join(',')}`;
      } else {
        for (let k = 0; k < 300 && (await serverMix()).master.gain !== value; k++) await new Promise((r) => setTimeout(r, 10));
        results[who] = (await serverMix()).master.gain === value ? 'applied' : 'lost';
      }
    }
    expect(results).toEqual({
      owner: 'applied',
      engineer: 'applied',
      artist: 'applied',
      reviewer: 'dropped:reviewer,reviewer',
      listener: 'dropped:listener,listener',
      stranger: 'refused',
    });
    expect(before).not.toBe(-3);
    // The last applied write was the artist's; the listener's and reviewer's never landed.
    expect((await serverMix()).master.gain).toBe(-3);
  });

  it('socket: the review doc is read by every role, written by none', async () => {
    const beforeState = await rs.server.services.rooms.withRoom(reviewDocName(roomId) as RoomId, (doc) => Y.encodeStateVector(doc));
    for (const who of ROLES) {
      const client = socket(who, reviewDocName(roomId));
      await whenSocketSynced(client);
      expect(readReview(client.doc).versions.map((v) => v.id)).toContain(v1);
      const { approvals, comments } = reviewRoots(client.doc);
      client.doc.transact(() => {
        comments.set('forged', { text: 'forged' } as unknown as CommentRecord);
        approvals.push([{ action: 'approve', versionId: v1 } as unknown as ApprovalRecord]);
      });
      await waitFor('review write refused', () => client.notices.length >= 1);
    }
    const after = await rs.server.services.rooms.withRoom(reviewDocName(roomId) as RoomId, (doc) => Y.encodeStateVector(doc));
    expect(Buffer.from(after)).toEqual(Buffer.from(beforeState));
    expect((await serverReview()).comments.some((c) => c.id === 'forged')).toBe(false);
  });
});

describe('comments, versions, approvals, downloads', () => {
  it('comments reach every socket live, with replies and resolution', async () => {
    const listener = socket('listener', reviewDocName(roomId));
    await whenSocketSynced(listener);
    const made = await users.artist.json<{ comment: CommentRecord }>('POST', api('/comments'), { at: 42, end: 45.5, text: 'Vocal -2 dB here', versionId: v1 });
    expect(made.status).toBe(201);
    const id = made.body.comment.id;
    await waitFor('comment live on listener', () => readReview(listener.doc).comments.some((c) => c.id === id));
    await users.engineer.json('POST', api(`/comments/${id}/replies`), { text: 'Done in v2' });
    await users.engineer.json('PATCH', api(`/comments/${id}`), { resolved: true });
    await waitFor('resolution live', () => readReview(listener.doc).comments.find((c) => c.id === id)?.resolved === true);
    const c = readReview(listener.doc).comments.find((x) => x.id === id)!;
    expect(c).toMatchObject({ at: 42, end: 45.5, text: 'Vocal -2 dB here', versionId: v1, author: { name: 'The artist', role: 'artist' }, resolvedBy: { role: 'engineer' } });
    expect(c.replies.map((r) => [r.author.role, r.text])).toEqual([['engineer', 'Done in v2']]);
    expect((await users.engineer.json('PATCH', api(`/comments/${id}`), { text: 'rewrite' })).status).toBe(403);
    // A comment may carry a mix suggestion; another editor applies it on top of a newer mix.
    const heard = await serverMix();
    const proposed = structuredClone(heard);
    proposed.tracks[0]!.gain = heard.tracks[0]!.gain - 2;
    const suggestion = { changes: listMixChanges(heard, proposed) };
    const withSuggestion = await users.engineer.json<{ comment: CommentRecord }>('POST', api('/comments'), { at: 42, text: 'vocal -2 dB here', suggestion });
    expect(withSuggestion.status).toBe(201);
    expect(withSuggestion.body.comment.suggestion?.changes.map((c) => c.text)).toEqual([`Vocal: fader ${formatDb(heard.tracks[0]!.gain)} → ${formatDb(heard.tracks[0]!.gain - 2)}`]);
    const applied = applyMixChanges(await serverMix(), withSuggestion.body.comment.suggestion!.changes);
    expect(applied.state.tracks[0]!.gain).toBe(heard.tracks[0]!.gain - 2);
    const badSuggestion = { changes: [{ ...suggestion.changes[0]!, after: { nested: 1 } }] };
    expect((await users.engineer.json('POST', api('/comments'), { at: 1, text: 'x', suggestion: badSuggestion })).status).toBe(400);
    expect((await users.artist.json('POST', api('/comments'), { at: 5, end: 4, text: 'bad range' })).status).toBe(400);
    expect((await users.artist.json('POST', api('/comments'), { at: Number.NaN, text: 'nan' })).status).toBe(400);
    const huge = await users.artist.json('POST', api('/comments'), { at: 1, text: 'x'.repeat(100_000) });
    expect(huge.status).toBe(413);
    const broken = await users.artist.request('POST', api('/comments'), undefined, { 'content-type': 'application/json' });
    expect(broken.status).toBe(400);
  });

  it('a version is an immutable hashed snapshot, baked with progress visible to everyone, diffable against another', async () => {
    const watcher = socket('listener', reviewDocName(roomId));
    await whenSocketSynced(watcher);
    const seen: BakeRecord['status'][] = [];
    const progress: number[] = [];
    const phases: string[] = [];
    const etas: number[] = [];
    watcher.doc.on('update', () => {
      for (const bake of readReview(watcher.doc).bakes.values()) {
        if (seen.at(-1) !== bake.status) seen.push(bake.status);
        progress.push(bake.progress);
        if (bake.phase && phases.at(-1) !== bake.phase) phases.push(bake.phase);
        if (bake.etaSec !== null) etas.push(bake.etaSec);
      }
    });
    const live = socket('engineer', roomId);
    await whenSocketSynced(live);
    setTrackParam(live.doc, { trackId, param: 'gain', value: 1.5 }, createOrigin('local-user', 'engineer'));
    setTrackParam(live.doc, { trackId, param: 'eq.bands.2.gain', value: -2 }, createOrigin('local-user', 'engineer'));
    for (let k = 0; k < 300 && (await serverMix()).tracks[0]?.gain !== 1.5; k++) await new Promise((r) => setTimeout(r, 10));
    const liveState = await serverMix();
    const saved = await users.engineer.json<{ version: { id: string; number: number; stateHash: string } }>('POST', api('/versions'), { name: 'Vocal up', note: 'per notes' });
    expect(saved.status).toBe(201);
    const v2 = saved.body.version;
    expect(v2.stateHash).toBe(contentHash(liveState));
    await rs.review.bakesIdle();
    await waitFor('bake done seen live', () => readReview(watcher.doc).bakes.get(v2.id)?.status === 'done');
    const fetched = await users.listener.json<{ version: { state: MixState; stateHash: string; bake: BakeRecord; createdBy: { name: string } } }>('GET', api(`/versions/${v2.id}`));
    expect(contentHash(fetched.body.version.state)).toBe(v2.stateHash);
    expect(fetched.body.version.createdBy.name).toBe('The engineer');
    const bake = fetched.body.version.bake;
    expect(bake.durationSec).toBeCloseTo(2, 3);
    expect(Object.keys(bake.renders).sort()).toEqual(['flac', 'mp3', 'wav16', 'wav24']);
    // -12 dBFS sine +1.5 dB fader, summed to stereo: loudness within a couple of LU of that.
    expect(bake.loudness?.integratedLufs).toBeGreaterThan(-20);
    expect(bake.loudness?.integratedLufs).toBeLessThan(-5);
    expect(seen).toContain('baking');
    expect(seen.at(-1)).toBe('done');
    expect(progress.some((p) => p > 0 && p < 1)).toBe(true);
    // Everyone sees what the bake is doing: starting, rendering (formats encode alongside), storing.
    console.log(`phases seen: ${phases.join(' -> ')}; ETAs ${etas.map((e) => e.toFixed(1)).join(', ')}`);
    expect(phases[0]).toBe('starting');
    expect(phases).toContain('rendering');
    expect(phases.at(-1)).toBe('storing');
    expect(phases).toEqual([...new Set(phases)]); // forward only: no phase comes back
    expect(etas.length).toBeGreaterThan(0);
    expect(fetched.body.version.bake.phase).toBeNull();

    const diff = await users.listener.json<{ lines: string[] }>('GET', api(`/versions/${v1}/diff/${v2.id}`));
    const band3 = liveState.tracks[0]!.eq.bands[2];
    expect(diff.body.lines).toEqual(['Vocal: fader 0.0 dB → +1.5 dB', `Vocal: EQ band 3 gain 0.0 dB → -2.0 dB at ${band3.freq / 1000} kHz`, 'Master: fader 0.0 dB → -3.0 dB']);
    vocalUp = v2.id;
  });

  it('approvals are appended (approve, revoke, approve) and name the version and render hashes', async () => {
    const versions = (await users.artist.json<{ versions: Array<{ id: string; number: number; stateHash: string; bake: BakeRecord }> }>('GET', api('/versions'))).body.versions;
    const target = versions.find((v) => v.id === vocalUp)!;
    expect(target.bake.status).toBe('done');
    const before = (await serverReview()).approvals.length;
    const a1 = await users.artist.json<{ approval: ApprovalRecord }>('POST', api(`/versions/${target.id}/approvals`), { action: 'approve', note: 'love it' });
    expect(a1.status).toBe(201);
    expect(a1.body.approval).toMatchObject({ action: 'approve', versionHash: target.stateHash, renderHash: target.bake.renders.wav24!.hash, renderFormat: 'wav24', by: { role: 'artist' } });
    expect((await users.artist.json('POST', api(`/versions/${target.id}/approvals`), { action: 'revoke' })).status).toBe(201);
    expect((await users.artist.json('POST', api(`/versions/${target.id}/approvals`), { action: 'revoke' })).status).toBe(409);
    expect((await users.owner.json('POST', api(`/versions/${target.id}/approvals`), { action: 'approve' })).status).toBe(201);
    const history = (await serverReview()).approvals.slice(before);
    expect(history.map((h) => `${h.action}:${h.by.role}`)).toEqual(['approve:artist', 'revoke:artist', 'approve:owner']);
  });

  it('downloads are short-lived links named room-version-format whose bytes hash to the stored render', async () => {
    const snap = await serverReview();
    const approved = snap.approvals.at(-1)!;
    const version = snap.versions.find((v) => v.id === approved.versionId)!;
    const res = await users.listener.request('GET', api(`/versions/${version.id}/download/wav24`));
    expect(res.status).toBe(302);
    // Same origin: an app path carrying a signed, expiring token (the store is never exposed).
    const url = res.headers.get('location')!;
    expect(url).toMatch(/^\/api\/objects\/[\w-]+\.[\w-]+$/);
    const file = await fetch(new URL(url, rs.server.url));
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('audio/wav');
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    const disposition = file.headers.get('content-disposition') ?? '';
    expect(disposition).toMatch(/^attachment;/);
    expect(disposition).toContain(`night-drive-v${version.number}-vocal-up-APPROVED-24bit.wav`);
    const bytes = new Uint8Array(await file.arrayBuffer());
    expect(sha256(bytes)).toBe(approved.renderHash);
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('RIFF');
    const mp3 = await users.listener.json<{ download: { fileName: string; sha256: string } }>('GET', api(`/versions/${v1}/download/mp3`));
    expect(mp3.body.download.fileName).toBe('night-drive-v1-first-pass-APPROVED.mp3');
    expect((await users.listener.json('GET', api(`/versions/${v1}/download/ogg`))).status).toBe(400);
  });

  it('records survive a restart exactly, and reach a new socket', async () => {
    const before = await serverReview();
    for (const client of sockets.splice(0)) client.destroy();
    await rs.close();
    rs = await startReviewServer(tmp.path, s3.opened, now);
    for (const who of WHO) users[who].base = rs.server.url;
    const after = await serverReview();
    expect(after.comments).toEqual(before.comments);
    expect(after.versions).toEqual(before.versions);
    expect(after.approvals).toEqual(before.approvals);
    expect([...after.bakes.entries()]).toEqual([...before.bakes.entries()]);
    expect((await users.artist.json<{ member: { role: string } }>('GET', api('/me'))).body.member.role).toBe('artist');
    const client = socket('listener', reviewDocName(roomId));
    await whenSocketSynced(client);
    expect(readReview(client.doc).approvals).toEqual(before.approvals);
  });

  it('a bake left queued by a crash is resumed the first time the restarted server touches the room', async () => {
    // Leave v1's bake as a crashed process would have: queued, no renders.
    await rs.server.services.rooms.withRoom(reviewDocName(roomId) as RoomId, (doc, origin) => {
      const { bakes } = reviewRoots(doc);
      const bake = bakes.get(v1)!;
      doc.transact(() => bakes.set(v1, { ...bake, status: 'queued', progress: 0, renders: {}, finishedAt: null }), origin);
    });
    await rs.close();
    rs = await startReviewServer(tmp.path, s3.opened, now);
    for (const who of WHO) users[who].base = rs.server.url;
    expect((await serverReview()).bakes.get(v1)?.status).toBe('queued');
    expect((await users.listener.json('GET', api('/versions'))).status).toBe(200);
    await rs.review.bakesIdle();
    const bake = (await serverReview()).bakes.get(v1)!;
    expect(bake.status).toBe('done');
    expect(Object.keys(bake.renders).sort()).toEqual(['flac', 'mp3', 'wav16', 'wav24']);
    expect(rs.lines.some((l) => l.msg === 'resuming bake after restart')).toBe(true);
  });
});
