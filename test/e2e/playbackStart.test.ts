import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { readMixState } from '@mixroom/shared/model';
import { buildMixPlan, planLatencyFrames, type MixPlan } from '@mixroom/shared/plan';
import type { RoomId } from '@mixroom/shared/protocol';
import { DEFAULT_CHUNK_FRAMES } from '../../client/src/audio/MixEngine.ts';
import { bakeMix } from '../../server/src/render/bakeMix.ts';
import { createS3StemSource } from '../../server/src/render/input/createS3StemSource.ts';
import { stemPlaybackKey } from '../../server/src/stems/stemKeys.ts';
import { armTap, installOutputTap, readTap, type TapRecording } from './outputTap.ts';
import { launchBrowser, monoWav16, openRoom, startRoomServer, uploadStems, type RoomPage, type RoomServer } from './roomHarness.ts';

/**
 * Playback starts whole (issue 14): a freshly joined listener presses Play on 12 stems of
 * 4+ minutes (real server, real embedded S3, the built client in real Chromium). Nothing
 * may sound until every stem can, and then every stem must start on the same frame: no
 * stem late, each one sample-aligned with the server's bake of the same plan. The same
 * after a seek past the cache and a loop jump past the cache.
 *
 * Each stem is silent but for one-sample clicks every 0.5 s, stem i's at 25·i ms into each
 * half second, with its own amplitude: in the page's output (recorded sample for sample by
 * an AudioWorklet tap on the destination, outputTap.ts) every click says which stem played
 * which song frame, and when. The room's default strips are linear (no processor on, no
 * send), so the output from a start on is exactly the bake's, from the same song frame on.
 * Timing is printed (time from Play to first sound, buffering), never asserted.
 */
const ROOM = 'playback-start';
const FS = 48000;
const STEMS = 12;
const PERIOD = FS / 2;
const SLOT = (25 * FS) / 1000;
const secondsOf = (i: number) => 240 + i; // 4:00 .. 4:11: different lengths
const amplitudeOf = (i: number) => 0.3 + 0.04 * i;
/** A 32 Mbit/s link with 20 ms latency: a first chunk of 12 mono stems (6 MB) takes about 1.5 s. */
const SLOW = { offline: false, latency: 20, downloadThroughput: 4_000_000, uploadThroughput: 4_000_000 };
/** How much audio is compared after each (re)start. */
const LISTEN_S = 3;
/**
 * Below this a sample is no click (the quietest is 0.21): the engine keeps every strip fed
 * by a constant 2^-100 so Chromium never idles its nodes (see createTransport), ~1e-29 at
 * the output. The sample-by-sample comparison with the bake is far tighter (1e-5).
 */
const SILENT = 1e-3;
/**
 * Before the first sound of a start: -120 dBFS. The engine's 2^-100 strip feed leaves ~1e-29
 * there, but after a seek while playing, what was heard
 * before it can still be decaying there (1.2e-11 seen in a clean-clone run); a stem that
 * started early would be music, far above this.
 */
const BEFORE_START = 1e-6;

let server: RoomServer;
let browser: Browser;
let plan: MixPlan;
let latency: number;
/** The server's bake of the room's plan, latency not compensated: bake frame b holds song frame b - latency. */
let bake: [Float32Array, Float32Array];
const opened: Array<{ name: string; room: RoomPage }> = [];

function clickStem(i: number): (n: number) => number {
  const amp = amplitudeOf(i);
  const offset = i * SLOT;
  return (n) => (n % PERIOD === offset ? amp : 0);
}

beforeAll(async () => {
  server = await startRoomServer([ROOM], { maxStemBytes: 64 * 1024 * 1024, maxStemSeconds: 600 });
  const started = Date.now();
  await uploadStems(server, ROOM, STEMS, (i) => ({ fileName: `Click ${String(i + 1).padStart(2, '0')}.wav`, wav: monoWav16(clickStem(i), secondsOf(i) * FS) }));
  const uploaded = Date.now();
  // The plan every browser in the room plays, and the server's bake of it from the same S3 objects.
  const state = await server.server.services.rooms.withRoom(ROOM as RoomId, (doc) => readMixState(doc));
  plan = buildMixPlan(state);
  latency = planLatencyFrames(plan);
  bake = [new Float32Array(plan.frames + latency), new Float32Array(plan.frames + latency)];
  const stream = await bakeMix(plan, {
    stems: createS3StemSource({ s3: server.storage.store.s3, bucket: server.storage.store.bucket, objectKey: stemPlaybackKey }),
    compensateLatency: false,
  });
  let at = 0;
  for await (const b of stream) {
    const n = Math.min(b.frames, bake[0].length - at);
    bake[0].set(b.channels[0]!.subarray(0, n), at);
    bake[1].set(b.channels[1]!.subarray(0, n), at);
    at += n;
  }
  await stream.close();
  console.log(
    `${STEMS} mono 16-bit stems of ${secondsOf(0)}-${secondsOf(STEMS - 1)} s uploaded in ${((uploaded - started) / 1000).toFixed(1)} s; ` +
      `bake of the room's plan (${plan.nodes.length} nodes, latency ${latency} frames) in ${((Date.now() - uploaded) / 1000).toFixed(1)} s`,
  );
  browser = await launchBrowser();
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The page's debug hook, as far as this test uses it. */
interface Hook {
  context: { currentTime: number; sampleRate: number };
  transport: {
    seek(s: number): void;
    setLoop(l: { start: number; end: number } | null): void;
    setLoopEnabled(on: boolean): void;
    onChange(l: (s: { playing: boolean; buffering: boolean; waitingFor: unknown[] }) => void): () => void;
    snapshot(): { playing: boolean; buffering: boolean; waitingFor: unknown[] };
  };
}

function snapshotOf(page: Page): Promise<{ playing: boolean; buffering: boolean }> {
  return page.evaluate(() => (window as unknown as { __mixroom: Hook }).__mixroom.transport.snapshot());
}

/** A fresh listener: own context, the output tap installed, optionally a slow network from the first request. */
async function join(name: string, network: typeof SLOW | null): Promise<RoomPage> {
  // A retried test joins again: its failed attempt's listener leaves first and the new one takes
  // its place, so the room holds one person of each name (later tests click "Follow <name>").
  const earlier = opened.findIndex((r) => r.name === name);
  if (earlier >= 0) await opened[earlier]!.room.context.close();
  const room = await openRoom(browser, server.server.url, ROOM, name, async (context, page) => {
    await installOutputTap(context);
    if (network) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', network);
    }
  });
  if (earlier >= 0) opened[earlier] = { name, room };
  else opened.push({ name, room });
  // Every transport change with its time: how long Play buffered.
  await room.page.evaluate(() => {
    const w = window as unknown as { __mixroom: Hook; __transportLog: { t: number; playing: boolean; buffering: boolean; waiting: number }[] };
    w.__transportLog = [];
    w.__mixroom.transport.onChange((s) => w.__transportLog.push({ t: performance.now(), playing: s.playing, buffering: s.buffering, waiting: s.waitingFor.length }));
  });
  return room;
}

/**
 * Watches, on the page, for playback to start from song second `song` (after a Play, seek or
 * loop change made in the same task): every 5 ms, once the transport plays and is not
 * buffering, reads the engine's position with the context clock and derives the context
 * frame `song` started at. Read within `within` seconds of the start (before any later jump);
 * `listen` returns it.
 */
function watchStart(song: number, within: number): void {
  const w = window as unknown as { __mixroom: Hook & { engine: { position(): number } }; __started: number | null };
  const h = w.__mixroom;
  w.__started = null;
  const id = setInterval(() => {
    const s = h.transport.snapshot();
    if (!s.playing || s.buffering) return;
    const c = h.context.currentTime;
    const p = h.engine.position();
    if (h.context.currentTime !== c || p <= song) return;
    clearInterval(id);
    w.__started = p < song + within ? Math.round(c * h.context.sampleRate - (p - song) * h.context.sampleRate) : Number.NaN;
  }, 5);
}

/** Page code that calls watchStart: run it in the task that seeks (or before the click on Play). */
const watchCall = (song: number, within: number) => `var __name = (f) => f; (${watchStart.toString()})(${song}, ${within});`;

/** Waits until playback started (see watchStart), then `LISTEN_S` more seconds of output; returns the start's context frame. */
async function listen(page: Page): Promise<number> {
  const handle = await page.waitForFunction(() => (window as unknown as { __started: number | null }).__started, null, { timeout: 60_000, polling: 20 }).catch(async (error: unknown) => {
    // What the transport did meanwhile, and what the page reported: the failure says why.
    const state = await page.evaluate(() => {
      const w = window as unknown as { __mixroom: Hook & { engine: { position(): number } }; __transportLog: unknown[] };
      const c = w.__mixroom.context as unknown as { state: string; currentTime: number };
      return { context: { state: c.state, time: c.currentTime }, snapshot: w.__mixroom.transport.snapshot(), position: w.__mixroom.engine.position(), log: w.__transportLog.slice(-12) };
    });
    const errors = opened.find((r) => r.room.page === page)?.room.errors ?? [];
    throw new Error(`playback did not start: ${JSON.stringify(state)}; page errors ${JSON.stringify(errors.slice(-8))}`, { cause: error });
  });
  const started = (await handle.jsonValue()) as number;
  expect(started, 'the start was seen too late to measure').not.toBeNaN();
  await page.waitForTimeout(LISTEN_S * 1000 + 300);
  return started;
}

/** Milliseconds the transport buffered since `since` (performance.now() on the page). */
function bufferedMs(page: Page, since: number): Promise<number> {
  return page.evaluate((t0) => {
    const log = (window as unknown as { __transportLog: { t: number; buffering: boolean }[] }).__transportLog.filter((e) => e.t >= t0);
    let total = 0;
    let from: number | null = null;
    for (const e of log) {
      if (e.buffering && from === null) from = e.t;
      if (!e.buffering && from !== null) {
        total += e.t - from;
        from = null;
      }
    }
    return total + (from === null ? 0 : performance.now() - from);
  }, since);
}

/** What one stretch of the recording held, checked against the bake. */
interface Stretch {
  /** Recording index of the first sound of the stretch. */
  first: number;
  /** Recording index where song frame `songFrom` (plus the plan's latency) sounded. */
  songAt: number;
  /** Where playback held (every stem at once) and resumed: song second and milliseconds held. */
  holds: { at: number; ms: number }[];
  clicks: number;
  /** Recording index = bake index + this, in the last stretch of steady playback. */
  lastOffset: number;
}


/**
 * Checks that the recording, from index `recFrom` on, is silent until it plays the song
 * from song frame `songFrom` to `songTo` exactly as the bake does, every stem on the same
 * frames: the first click aligns the two, then every sample must equal the bake's, every
 * stem's every click included. Playback may hold (all stems at once: silence, then the song
 * goes on from exactly where it stopped) only at a chunk boundary, where the transport
 * waits for audio not read yet. A stem starting late, early or not at all, or one stem
 * holding while others go on, breaks it. Frames the browser's render thread never rendered
 * (it fell behind on a loaded machine: `rec.gaps`) are reported and left out.
 */
function checkStretch(rec: TapRecording, what: string, recFrom: number, songFrom: number, songTo: number): Stretch {
  const [l, r] = [rec.left, rec.right];
  const inGap = (i: number) => rec.gaps.some(([a, z]) => i >= a && i < z);
  let first = recFrom;
  while (first < l.length && Math.abs(l[first]!) <= SILENT && Math.abs(r[first]!) <= SILENT) first++;
  expect(first, `${what}: no sound in the recording`).toBeLessThan(l.length);
  // Silence before the first sound: no stem started before the others.
  for (let i = recFrom; i < first; i++) expect(Math.abs(l[i]!)).toBeLessThanOrEqual(BEFORE_START);
  let b0 = songFrom + latency;
  while (b0 < bake[0].length && bake[0][b0] === 0) b0++;
  // Stretches of steady playback: recording index = bake index + offset, from song frame `from`.
  const stretches: { from: number; offset: number }[] = [{ from: songFrom, offset: first - b0 }];
  const holds: { at: number; ms: number }[] = [];
  const problems: string[] = [];
  const lost: number[] = [];
  let clicks = 0;
  let next = first; // recording index after the last click matched
  for (let b = b0; b < songTo + latency; b++) {
    if (bake[0][b] === 0) continue;
    const song = b - latency;
    let s = stretches[stretches.length - 1]!;
    const due = b + s.offset;
    if (due >= l.length) break;
    if (inGap(due)) {
      lost.push(song);
      continue;
    }
    if (Math.abs(l[due]!) <= SILENT) {
      // Not where it was due: a hold (every stem at once) must end at a chunk boundary before it.
      let at = next;
      while (at < l.length && Math.abs(l[at]!) <= SILENT) at++;
      const boundary = Math.floor(song / DEFAULT_CHUNK_FRAMES) * DEFAULT_CHUNK_FRAMES;
      if (at >= l.length) break;
      if (boundary <= s.from || at - b <= s.offset) {
        if (problems.length < 8) problems.push(`stem ${(song % PERIOD) / SLOT} at song ${(song / FS).toFixed(3)} s: silent (no chunk boundary to hold at; next sound ${l[at]} at ${at}, due at ${due})`);
        continue;
      }
      s = { from: boundary, offset: at - b };
      holds.push({ at: boundary / FS, ms: ((s.offset - stretches[stretches.length - 1]!.offset) / FS) * 1000 });
      stretches.push(s);
    }
    const i = b + s.offset;
    if (Math.abs(l[i]! - bake[0][b]!) > 1e-5 && problems.length < 8) {
      problems.push(`stem ${(song % PERIOD) / SLOT} at song ${(song / FS).toFixed(3)} s: got ${l[i]!.toFixed(4)}, bake ${bake[0][b]!.toFixed(4)}`);
    }
    clicks++;
    next = i + 1;
  }
  // Every sample, both channels: the bake's through each stretch, silence in each hold.
  let maxDiff = 0;
  let compared = 0;
  const end = Math.min(l.length, songTo + latency + stretches[stretches.length - 1]!.offset);
  for (let k = 0; k < stretches.length; k++) {
    const s = stretches[k]!;
    const stop = k + 1 < stretches.length ? stretches[k + 1]!.from + latency + s.offset : end;
    const resume = k + 1 < stretches.length ? stretches[k + 1]!.from + latency + stretches[k + 1]!.offset : end;
    for (let i = Math.max(first, s.from + latency + s.offset); i < resume; i++) {
      if (inGap(i)) continue;
      const want = i < stop ? [bake[0][i - s.offset]!, bake[1][i - s.offset]!] : [0, 0];
      maxDiff = Math.max(maxDiff, Math.abs(l[i]! - want[0]!), Math.abs(r[i]! - want[1]!));
      compared++;
    }
  }
  const songAt = first - (b0 - (songFrom + latency));
  console.log(
    `${what}: song ${(songFrom / FS).toFixed(3)} s sounded at context frame ${rec.startFrame + songAt}; ${clicks} clicks of ${STEMS} stems and ` +
      `${compared} frames compared with the bake: max difference ${maxDiff.toExponential(2)}` +
      `${holds.length ? `; held (every stem) ${holds.map((h) => `at ${h.at.toFixed(3)} s for ${h.ms.toFixed(0)} ms`).join(', ')}` : ''}` +
      `${lost.length ? `; ${lost.length} clicks in frames the render thread skipped (${rec.gaps.map(([a, z]) => `${z - a} frames`).join(', ')})` : ''}` +
      `${problems.length ? `; WRONG: ${problems.join('; ')}` : ''}`,
  );
  expect(problems).toEqual([]);
  expect(maxDiff).toBeLessThan(1e-5);
  // The recording covered the whole stretch.
  expect(end).toBe(songTo + latency + stretches[stretches.length - 1]!.offset);
  expect(clicks).toBeGreaterThan(0);
  return { first, songAt, holds, clicks, lastOffset: stretches[stretches.length - 1]!.offset };
}

// Retried once: when the render thread skips frames (a dropout: the machine starved it), a chunk
// whose start time fell in the skipped frames starts late and stays late to its end. Starting
// such a chunk at the right offset is the open fix (issue 14); a second failure still fails.
describe('playback starts whole: 12 stems of 4+ minutes, a freshly joined listener', { retry: 1 }, () => {
  for (const network of [null, SLOW] as const) {
    const label = network ? '32 Mbit/s link' : 'loopback';
    it(`Play (${label}): silence until every stem is ready, then all start on one frame, aligned with the bake`, async () => {
      const { page } = await join(network ? 'Slow' : 'Fast', network);
      await armTap(page);
      await page.evaluate((code) => new Function(code)(), watchCall(0, 0.4));
      await page.getByRole('button', { name: 'Play' }).click();
      if (network) {
        // The user sees that Play is waiting, and for what.
        await page.locator('mr-transport [data-buffering]').waitFor({ timeout: 10_000 });
      }
      const started = await listen(page);
      const rec = await readTap(page);
      const buffered = await bufferedMs(page, rec.markedAt - 1);
      const s = checkStretch(rec, `Play (${label})`, 0, 0, LISTEN_S * FS);
      // From the top: the first click is stem 1's at song frame 0, so first sound = start + latency.
      expect(s.songAt).toBe(s.first);
      expect(rec.startFrame + s.songAt).toBe(started + latency);
      console.log(
        `Play (${label}): first sound ${(rec.firstSound!.at - rec.markedAt).toFixed(0)} ms after the click on Play ` +
          `(buffering ${buffered.toFixed(0)} ms; ${STEMS} stems, playhead at 0)`,
      );
      if (network) expect(buffered).toBeGreaterThan(0);
    });
  }

  it('a seek past the cache while playing (32 Mbit/s): held, then every stem from the new position together; a follower waits too', async () => {
    const page = opened[opened.length - 1]!.room.page;
    // The first listener (on loopback: it reads the new position at once) follows this one.
    const follower = opened[0]!.room.page;
    await follower.getByRole('button', { name: 'Follow Slow' }).click();
    await follower.getByRole('status').filter({ hasText: 'Following Slow' }).waitFor({ timeout: 5000 });
    await armTap(page);
    const target = 200.3;
    const { frame, t0 } = await page.evaluate(
      ([p, watch]) => {
        const h = (window as unknown as { __mixroom: Hook }).__mixroom;
        const t0 = performance.now();
        h.transport.seek(p);
        new Function(watch)();
        return { frame: Math.round(h.context.currentTime * h.context.sampleRate), t0 };
      },
      [target, watchCall(target, 0.4)] as const,
    );
    // A follower waits with a buffering leader (paused where it holds) instead of running ahead.
    // The leader's pause reaches it through the server (presence): from then on, it must not
    // play while the leader still buffers.
    const reached = Date.now();
    await follower.waitForFunction(() => !(window as unknown as { __mixroom: Hook }).__mixroom.transport.snapshot().playing, null, { timeout: 5000, polling: 10 }).catch(async (error: unknown) => {
      const [leader, own] = await Promise.all([snapshotOf(page), snapshotOf(follower)]);
      throw new Error(`the follower did not pause within 5 s of the leader's seek: leader ${JSON.stringify(leader)}, follower ${JSON.stringify(own)}`, { cause: error });
    });
    const pausedAfter = Date.now() - reached;
    let followerPlayedEarly = 0;
    let checks = 0;
    while ((await snapshotOf(page)).buffering) {
      checks++;
      if ((await snapshotOf(follower)).playing) followerPlayedEarly++;
      await page.waitForTimeout(100);
    }
    const started = await listen(page);
    // The follower learns of the resume over the network and corrects drift past 0.25 s
    // (FollowMode), so it is measured until it has caught up, for 5 s at most.
    const driftNow = async () => {
      const [pl, pf] = await Promise.all([page, follower].map((p) => p.evaluate(() => ({ p: (window as unknown as { __mixroom: Hook & { transport: { position(): number } } }).__mixroom.transport.position(), t: performance.timeOrigin + performance.now() }))));
      return Math.abs(pl!.p - (pf!.p + (pl!.t - pf!.t) / 1000));
    };
    let drift = await driftNow();
    let followerPlaying = (await snapshotOf(follower)).playing;
    for (const until = Date.now() + 5000; (!followerPlaying || drift >= 0.3) && Date.now() < until; ) {
      await page.waitForTimeout(100);
      drift = await driftNow();
      followerPlaying = (await snapshotOf(follower)).playing;
    }
    await follower.getByRole('button', { name: 'Follow Slow' }).click();
    await follower.getByRole('button', { name: 'Pause' }).click();
    console.log(`follower: paused ${pausedAfter} ms after the leader's seek, then playing in ${followerPlayedEarly} of ${checks} checks while the leader buffered; ${drift.toFixed(3)} s from the leader once both play`);
    expect(checks).toBeGreaterThan(0);
    expect(followerPlayedEarly).toBe(0);
    expect(followerPlaying).toBe(true);
    expect(drift).toBeLessThan(0.3);
    const rec = await readTap(page);
    const buffered = await bufferedMs(page, t0);
    const s = checkStretch(rec, 'seek to 200.3 s', started + latency - rec.startFrame, Math.round(target * FS), Math.round((target + LISTEN_S) * FS));
    expect(rec.startFrame + s.songAt).toBe(started + latency);
    console.log(`seek to ${target} s: song ${target} s sounded ${(((started + latency - frame) / FS) * 1000).toFixed(0)} ms after the seek (buffering ${buffered.toFixed(0)} ms)`);
    expect(buffered).toBeGreaterThan(0);
  });

  it('a loop jump past the cache (32 Mbit/s): every stem up to the loop end, then every stem from the loop start together', async () => {
    const page = opened[opened.length - 1]!.room.page;
    const loop = { start: 20.2, end: 150.6 };
    const from = 150.0;
    await armTap(page);
    const t0 = await page.evaluate(
      ([l, p, watch]) => {
        const h = (window as unknown as { __mixroom: Hook }).__mixroom;
        const t0 = performance.now();
        h.transport.setLoop(l);
        h.transport.setLoopEnabled(true);
        h.transport.seek(p);
        new Function(watch)();
        return t0;
      },
      [loop, from, watchCall(from, 0.5)] as const,
    );
    // Playing from 150 s, then past the jump to 20.2 s: the loop start's chunk is likely still being read.
    const started = await listen(page);
    await page.waitForFunction(
      (until) => {
        const h = (window as unknown as { __mixroom: { transport: { position(): number; snapshot(): { buffering: boolean } } } }).__mixroom;
        return h.transport.position() > until && !h.transport.snapshot().buffering;
      },
      loop.start + LISTEN_S + 0.2,
      { timeout: 60_000, polling: 50 },
    );
    const rec = await readTap(page);
    const buffered = await bufferedMs(page, t0);
    await page.evaluate(() => (window as unknown as { __mixroom: Hook }).__mixroom.transport.setLoopEnabled(false));
    const [ls, le, f] = [loop.start, loop.end, from].map((x) => Math.round(x * FS)) as [number, number, number];
    const before = checkStretch(rec, 'loop: before the jump', started + latency - rec.startFrame, f, le);
    expect(rec.startFrame + before.songAt).toBe(started + latency);
    // Where the loop end sounded (had the song gone on): everything after it is the loop start's.
    const endAt = le + latency + before.lastOffset;
    const after = checkStretch(rec, 'loop: after the jump', endAt, ls, ls + LISTEN_S * FS);
    const heldMs = ((after.songAt - endAt) / FS) * 1000;
    console.log(`loop jump ${loop.end} -> ${loop.start} s: held ${heldMs.toFixed(0)} ms at the loop end (buffering ${buffered.toFixed(0)} ms in all since the seek)`);
    expect(after.songAt).toBeGreaterThanOrEqual(endAt);
  });
});
