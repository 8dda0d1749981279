import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMixState, type MixState } from '@mixroom/shared/model';
import { addTrack, setMasterParam } from '@mixroom/shared/ops';
import { createOrigin, type RoomId } from '@mixroom/shared/protocol';
import { deliverableWarnings, readReview, RENDER_FORMATS, reviewDocName } from '@mixroom/shared/review';
import type { ApprovalRecord, BakeRecord, DeliverableWarning, RenderFormat } from '@mixroom/shared/review';
import { writeDemoSong } from '../demoSongFixture.ts';
import { ffmpegLoudness } from '../ffmpegLoudness.ts';
import { makeTempDir } from './syncHarness.ts';
import { connectWithCookie, HttpUser, sha256, startReviewServer, startS3, whenSocketSynced, type ReviewServer, type SocketClient } from './reviewHarness.ts';

/**
 * Deliverable checks through the real review flow: stems of a real song in the embedded S3,
 * versions saved over HTTP and baked by the real render module, every stored file's record
 * checked against ffmpeg's meter on the downloaded bytes, and approvals of a clipping
 * version refused until the warnings are acknowledged, then recorded with them.
 */
const LUFS_TOLERANCE = 0.1;
/** ffmpeg's 4x true-peak interpolator and BS.1770's 48-tap one read this song's noise hats up to 0.33 dB apart (see test/deliverables.test.ts). */
const TRUE_PEAK_TOLERANCE = 0.4;

let tmp: Awaited<ReturnType<typeof makeTempDir>>;
let s3: Awaited<ReturnType<typeof startS3>>;
let rs: ReviewServer;
let roomId: string;
let owner: HttpUser;
let artist: HttpUser;
let editor: SocketClient;
const api = (p: string) => `/api/rooms/${roomId}${p}`;
const serverReview = () => rs.server.services.rooms.withRoom(reviewDocName(roomId) as RoomId, (doc) => readReview(doc));
const serverMix = (): Promise<MixState> => rs.server.services.rooms.withRoom(roomId as RoomId, (doc) => readMixState(doc));

/** Sets master parameters from the editor's socket and waits until the server has them. */
async function setMaster(gain: number, limiterOn: boolean): Promise<void> {
  const origin = createOrigin('local-user', 'owner');
  setMasterParam(editor.doc, { param: 'gain', value: gain }, origin);
  setMasterParam(editor.doc, { param: 'limiter.on', value: limiterOn }, origin);
  setMasterParam(editor.doc, { param: 'limiter.ceiling', value: -1 }, origin);
  for (let i = 0; i < 300; i++) {
    const m = (await serverMix()).master;
    if (m.gain === gain && m.limiter.on === limiterOn && m.limiter.ceiling === -1) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the master change did not reach the server');
}

/** Saves the live mix as a version and waits for its bake. */
async function saveAndBake(name: string): Promise<{ id: string; bake: BakeRecord }> {
  const saved = await owner.json<{ version: { id: string } }>('POST', api('/versions'), { name, note: '' });
  expect(saved.status).toBe(201);
  await rs.review.bakesIdle();
  const bake = (await serverReview()).bakes.get(saved.body.version.id)!;
  expect({ status: bake.status, error: bake.error }).toEqual({ status: 'done', error: null });
  return { id: saved.body.version.id, bake };
}

interface DownloadJson {
  download: { url: string; sha256: string; format: RenderFormat; warnings: DeliverableWarning[] };
}

beforeAll(async () => {
  tmp = await makeTempDir('mixroom-deliverables-');
  s3 = await startS3(tmp.path);
  rs = await startReviewServer(tmp.path, s3.opened);
  owner = new HttpUser(rs.server.url, 'owner');
  artist = new HttpUser(rs.server.url, 'artist');
  const created = await owner.json<{ room: { roomId: string } }>('POST', '/api/rooms', { title: 'Deliverables', displayName: 'Olive' });
  expect(created.status).toBe(201);
  roomId = created.body.room.roomId;
  const invite = await owner.json<{ token: string }>('POST', api('/invites'), { role: 'artist', ttlHours: 24 });
  expect((await artist.json('POST', `/api/invites/${invite.body.token}/join`, { displayName: 'Art' })).status).toBe(200);

  // 10 s of the demo song's eight stems in S3, one track each.
  const stemsDir = path.join(tmp.path, 'song');
  await mkdir(stemsDir);
  const song = await writeDemoSong(stemsDir, { seconds: 10 });
  editor = connectWithCookie(rs.server.url, roomId, owner.cookie);
  await whenSocketSynced(editor);
  for (const track of song.state.tracks) {
    const key = `rooms/${roomId}/stems/${sha256(Buffer.from(track.stem!.fileName))}/source.wav`;
    await s3.objects.put(key, new Uint8Array(await readFile(path.join(stemsDir, track.stem!.fileName))), 'audio/wav');
    addTrack(editor.doc, { name: track.name, stem: { ...track.stem!, key } }, createOrigin('local-user', 'owner'));
  }
  for (let i = 0; i < 300 && (await serverMix()).tracks.length < song.state.tracks.length; i++) await new Promise((r) => setTimeout(r, 20));
  expect((await serverMix()).tracks).toHaveLength(8);
}, 180_000);

afterAll(async () => {
  editor?.destroy();
  await rs?.close();
  await s3?.s3.close();
  await tmp?.remove();
});

describe('deliverable checks through the review flow', () => {
  it('a clean version: each stored file\'s record matches ffmpeg on the downloaded bytes; no warning; approved plainly', async () => {
    // 6 dB of headroom under the limiter's ceiling: clean whatever the limiter does at its ceiling.
    await setMaster(-6, true);
    const { id, bake } = await saveAndBake('Limited');
    expect(bake.ceilingDb).toBe(-1);
    expect(Object.keys(bake.formats).sort()).toEqual([...RENDER_FORMATS].sort());
    for (const format of RENDER_FORMATS) {
      const got = await artist.json<DownloadJson>('GET', api(`/versions/${id}/download/${format}`));
      expect(got.status).toBe(200);
      expect(got.body.download.warnings).toEqual([]);
      const bytes = new Uint8Array(await (await fetch(got.body.download.url)).arrayBuffer());
      expect(sha256(bytes)).toBe(bake.renders[format]!.hash);
      const file = path.join(tmp.path, `limited.${format === 'mp3' ? 'mp3' : format === 'flac' ? 'flac' : `${format}.wav`}`);
      await writeFile(file, bytes);
      const ffmpeg = await ffmpegLoudness(file);
      const record = bake.formats[format]!;
      console.log(`${format}: record ${record.integratedLufs!.toFixed(2)} LUFS ${record.truePeakDb!.toFixed(2)} dBTP ${record.clippedSamples} clipped gain ${record.gainDb.toFixed(2)}; ffmpeg ${ffmpeg.integratedLufs.toFixed(2)} LUFS ${ffmpeg.truePeakDb.toFixed(2)} dBTP`);
      expect(Math.abs(record.integratedLufs! - ffmpeg.integratedLufs)).toBeLessThanOrEqual(LUFS_TOLERANCE);
      expect(Math.abs(record.truePeakDb! - ffmpeg.truePeakDb)).toBeLessThanOrEqual(TRUE_PEAK_TOLERANCE);
      expect(record.clippedSamples).toBe(0);
    }
    expect(bake.formats.mp3!.truePeakDb!).toBeLessThanOrEqual(-1);
    expect(bake.formats.wav24!.truePeakDb!).toBeLessThan(-3);
    expect(deliverableWarnings(bake)).toEqual([]);
    const approved = await artist.json<{ approval: ApprovalRecord }>('POST', api(`/versions/${id}/approvals`), { action: 'approve' });
    expect(approved.status).toBe(201);
    expect(approved.body.approval.warnings).toEqual([]);
  });

  it('a clipping version: Approve is refused until the warnings are acknowledged, and the approval records the server\'s warnings', async () => {
    await setMaster(12, false);
    const { id, bake } = await saveAndBake('Hot');
    expect(bake.ceilingDb).toBe(0);
    expect(bake.formats.wav24!.clippedSamples).toBeGreaterThan(0);
    expect(bake.formats.wav16!.clippedSamples).toBeGreaterThan(0);
    const warnings = deliverableWarnings(bake);
    expect(warnings.map((w) => `${w.format}:${w.problem}`)).toEqual(expect.arrayContaining(['wav24:clipped', 'wav16:clipped', 'flac:clipped']));
    const before = (await serverReview()).approvals.length;

    const refused = await artist.json<{ error: { code: string; message: string } }>('POST', api(`/versions/${id}/approvals`), { action: 'approve' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('WAV 24-bit clips');
    expect((await serverReview()).approvals).toHaveLength(before);

    // What the client says about warnings is not what gets recorded: the server's own list is.
    const accepted = await artist.json<{ approval: ApprovalRecord }>('POST', api(`/versions/${id}/approvals`), {
      action: 'approve',
      acknowledgeWarnings: true,
      warnings: [],
      note: 'we know; the demo is hot',
    });
    expect(accepted.status).toBe(201);
    expect(accepted.body.approval.warnings).toEqual(warnings);
    const stored = (await serverReview()).approvals.at(-1)!;
    expect(stored.warnings).toEqual(warnings);

    // Downloads name each file's own problems.
    const wav16 = await artist.json<DownloadJson>('GET', api(`/versions/${id}/download/wav16`));
    expect(wav16.body.download.warnings.map((w) => w.problem)).toContain('clipped');
    const mp3 = await artist.json<DownloadJson>('GET', api(`/versions/${id}/download/mp3`));
    expect(mp3.body.download.warnings.filter((w) => w.problem === 'over-ceiling')).toEqual([]);
    expect(bake.formats.mp3!.gainDb).toBeLessThan(0);
  });
});
