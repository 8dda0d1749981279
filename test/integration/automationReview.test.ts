import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readMixState, type MixState } from '@mixroom/shared/model';
import { addSend, addTrack, applyMixState, clearAutomationLane, removeBus, writeAutomationRange, type ParamAddress } from '@mixroom/shared/ops';
import { createOrigin, type RoomId } from '@mixroom/shared/protocol';
import { applyMixChanges, contentHash, listMixChanges, readReview, reviewDocName, SUGGESTION_LANE_POINTS_MAX, type BakeRecord, type CommentRecord } from '@mixroom/shared/review';
import { floatWav, sine } from '../renderFixtures.ts';
import { makeTempDir, testConfig, waitFor } from './syncHarness.ts';
import { connectWithCookie, HttpUser, startReviewServer, startS3, whenSocketSynced, type ReviewServer, type SocketClient } from './reviewHarness.ts';

/**
 * A lane-heavy mix through the real server: 12 tracks x 4 lanes x 500 points written over a
 * real y-websocket client, saved as a version (review doc, HTTP, bake), diffed and restored.
 * Measures what the lanes cost against the limits that bound them.
 */
const SR = 48_000;
const TRACKS = 12;
const POINTS = 500;

let tmp: Awaited<ReturnType<typeof makeTempDir>>;
let s3: Awaited<ReturnType<typeof startS3>>;
let rs: ReviewServer;
let roomId: string;
const owner = () => users.owner;
const users = {} as { owner: HttpUser };
const sockets: SocketClient[] = [];
const api = (path: string) => `/api/rooms/${roomId}${path}`;
const serverMix = (): Promise<MixState> => rs.server.services.rooms.withRoom(roomId as RoomId, (doc) => readMixState(doc));
const pointCount = (s: MixState) => s.tracks.reduce((n, t) => n + Object.values(t.automation).reduce((m, l) => m + l.points.length, 0), 0);

beforeAll(async () => {
  tmp = await makeTempDir('mixroom-lanes-');
  s3 = await startS3(tmp.path);
  rs = await startReviewServer(tmp.path, s3.opened);
  users.owner = new HttpUser(rs.server.url, 'owner');
  const created = await owner().json<{ room: { roomId: string } }>('POST', '/api/rooms', { title: 'Lanes', displayName: 'Olive' });
  expect(created.status).toBe(201);
  roomId = created.body.room.roomId;
  const frames = 2 * SR;
  const tone = sine(frames, 220, 0.1, SR);
  await s3.objects.put(`rooms/${roomId}/stems/tone.wav`, floatWav([tone, tone], SR), 'audio/wav');
}, 60_000);

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await rs?.close();
  await s3?.s3.close();
  await tmp?.remove();
});

describe('automation through the review server', () => {
  it('a 12 x 4 x 500-point mix syncs, is saved, fetched, baked, diffed and restored', async () => {
    const limit = testConfig(tmp.path).maxMessageBytes;
    const engineer = connectWithCookie(rs.server.url, roomId, owner().cookie);
    sockets.push(engineer);
    await whenSocketSynced(engineer);
    const o = createOrigin('local-user', 'owner');
    const doc = engineer.doc;
    const reverb = readMixState(doc).buses.find((b) => b.kind === 'aux')!.id;
    for (const bus of readMixState(doc).buses) if (bus.id !== reverb) removeBus(doc, { busId: bus.id }, o);
    const stem = { key: `rooms/${roomId}/stems/tone.wav`, fileName: 'tone.wav', sampleRate: SR, channels: 2, frames: 2 * SR };
    let biggest = 0;
    doc.on('update', (u: Uint8Array) => (biggest = Math.max(biggest, u.byteLength)));
    const before = Y.encodeStateAsUpdate(doc).byteLength;
    for (let i = 0; i < TRACKS; i++) {
      const trackId = addTrack(doc, { name: `Track ${i + 1}`, stem }, o);
      addSend(doc, { fromId: trackId, busId: reverb, level: -20 }, o);
      const lanes: ParamAddress[] = [
        { kind: 'track', trackId, param: 'gain' },
        { kind: 'track', trackId, param: 'pan' },
        { kind: 'track', trackId, param: 'eq.bands.2.gain' },
        { kind: 'send', fromId: trackId, busId: reverb, param: 'level' },
      ];
      for (const [k, address] of lanes.entries()) {
        const points = Array.from({ length: POINTS }, (_, j) => ({ time: j * 0.004, value: Math.sin(j / 7 + k + i) * (k === 1 ? 0.9 : 6) - (k === 3 ? 12 : 0) }));
        writeAutomationRange(doc, { address, from: 0, to: 2, points }, o);
      }
    }
    const docBytes = Y.encodeStateAsUpdate(doc).byteLength - before;
    const live = readMixState(doc);
    expect(pointCount(live)).toBe(TRACKS * 4 * POINTS);
    for (let k = 0; k < 500 && pointCount(await serverMix()) < TRACKS * 4 * POINTS; k++) await new Promise((r) => setTimeout(r, 20));
    expect(await serverMix()).toEqual(live);

    const saved = await owner().json<{ version: { id: string; stateHash: string } }>('POST', api('/versions'), { name: 'Rides', note: '' });
    expect(saved.status).toBe(201);
    const v1 = saved.body.version;
    expect(v1.stateHash).toBe(contentHash(live));
    const fetched = await owner().request('GET', api(`/versions/${v1.id}`), undefined, { accept: 'application/json' });
    const body = await fetched.text();
    const version = (JSON.parse(body) as { version: { state: MixState } }).version;
    expect(version.state).toEqual(live);

    // The review doc carries the snapshot to every socket.
    const watcher = connectWithCookie(rs.server.url, reviewDocName(roomId), owner().cookie);
    sockets.push(watcher);
    await whenSocketSynced(watcher);
    await waitFor('version on the review socket', () => readReview(watcher.doc).versions.some((v) => v.id === v1.id));
    expect(readReview(watcher.doc).versions.find((v) => v.id === v1.id)!.state).toEqual(live);
    const reviewBytes = Y.encodeStateAsUpdate(watcher.doc).byteLength;

    // The bake plays the snapshot's lanes (loaded and planned like any version).
    await rs.review.bakesIdle();
    await waitFor('bake settled', () => ['done', 'failed'].includes(readReview(watcher.doc).bakes.get(v1.id)?.status ?? ''));
    const bake = readReview(watcher.doc).bakes.get(v1.id) as BakeRecord;
    expect({ status: bake.status, error: bake.error }).toEqual({ status: 'done', error: null });

    // Edit, diff against the version, restore it from its snapshot.
    const first = live.tracks[0]!.id;
    clearAutomationLane(doc, { address: { kind: 'track', trackId: first, param: 'gain' } }, o);
    for (let k = 0; k < 300 && (await serverMix()).tracks[0]!.automation.gain; k++) await new Promise((r) => setTimeout(r, 10));
    const diff = await owner().json<{ lines: string[] }>('GET', api(`/versions/${v1.id}/diff/live`));
    expect(diff.body.lines).toHaveLength(1);
    expect(diff.body.lines[0]).toMatch(/^Track 1 fader: automation removed, [+-][\d.]+ dB( \/ [+-][\d.]+ dB)? from 0:00 to the end$/);
    // A comment carries a ride as a suggestion (its lane rides along, within the body limit).
    const cleared = await serverMix();
    const proposed = structuredClone(cleared);
    const ride = live.tracks[0]!.automation.gain!.points.slice(0, SUGGESTION_LANE_POINTS_MAX);
    proposed.tracks[0]!.automation = { ...proposed.tracks[0]!.automation, gain: { points: ride } };
    const suggestion = { changes: listMixChanges(cleared, proposed) };
    const comment = { at: 0, end: 2, text: 'ride it like this', suggestion };
    const commentBytes = JSON.stringify(comment).length;
    const posted = await owner().json<{ comment: CommentRecord }>('POST', api('/comments'), comment);
    expect(posted.status).toBe(201);
    const carried = posted.body.comment.suggestion!.changes;
    expect(carried.map((c) => [c.kind, c.path.join('.'), c.lane?.points.length])).toEqual([['added', 'automation.gain', SUGGESTION_LANE_POINTS_MAX]]);
    expect(applyMixChanges(cleared, carried).state).toEqual(proposed);
    // The whole 500-point lane is more than a suggestion carries: words only.
    expect(listMixChanges(cleared, version.state).map((c) => c.lane)).toEqual([undefined]);
    let restoreBytes = 0;
    doc.once('update', (u: Uint8Array) => (restoreBytes = u.byteLength));
    applyMixState(doc, version.state, o);
    for (let k = 0; k < 300 && !(await serverMix()).tracks[0]!.automation.gain; k++) await new Promise((r) => setTimeout(r, 10));
    expect(await serverMix()).toEqual(live);
    // The worst case of a restore: the whole lane-heavy mix written into an empty document at once.
    const rebuilt = new Y.Doc();
    applyMixState(rebuilt, live, o);
    const wholeMix = Y.encodeStateAsUpdate(rebuilt).byteLength;

    console.log(
      `lanes: ${TRACKS}x4x${POINTS} points; mix doc +${(docBytes / 1e6).toFixed(2)} MB, largest update ${(biggest / 1e3).toFixed(1)} kB, ` +
        `whole mix as one update ${(wholeMix / 1e6).toFixed(2)} MB (limit per message ${(limit / 1e6).toFixed(1)} MB); ` +
        `version JSON ${(body.length / 1e6).toFixed(2)} MB, review doc ${(reviewBytes / 1e6).toFixed(2)} MB; one lane restored ${(restoreBytes / 1e3).toFixed(1)} kB; comment with a ${SUGGESTION_LANE_POINTS_MAX}-point ride ${(commentBytes / 1e3).toFixed(1)} kB`,
    );
    // A client's largest write and even the whole mix rebuilt in one update fit one message.
    expect(biggest).toBeLessThan(limit);
    expect(wholeMix).toBeLessThan(limit);
  }, 180_000);
});
