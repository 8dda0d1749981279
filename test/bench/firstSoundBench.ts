import { readMixState, type MixState } from '@mixroom/shared/model';
import { applyMixState } from '@mixroom/shared/ops';
import type { RoomId } from '@mixroom/shared/protocol';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { armTap, installOutputTap, pageScript, readTap, waitForSound } from '../e2e/outputTap.ts';
import { launchBrowser, openRoom, startRoomServer, type RoomServer } from '../e2e/roomHarness.ts';
import { uploadStem } from '../integration/stems-fixtures/stemApi.ts';
import { bakeBenchMix } from './bakeBenchMix.ts';
import { percentile } from './percentile.ts';

/**
 * `pnpm bench firstSound`: time to first sound in the 40-stem room. The real server (embedded
 * S3), the built client in Chromium, the bake bench's mix (40 stereo stems, full strips, two
 * aux returns, master glue + limiter). A listener joins and presses Play the moment the room
 * is ready; first sound is the first non-silent sample at the page's output (an AudioWorklet
 * tap, test/e2e/outputTap.ts), on the page's clock. Printed with its parts (opening the stems,
 * fetching the audio under the playhead, decoding and scheduling, the start itself) and
 * against a peer in the same run: the same stems fetched whole, decoded with
 * decodeAudioData and started together, as a player without chunked reads does.
 *
 * Env: FIRST_SOUND_STEMS (40), FIRST_SOUND_SECONDS (30: the length of each stem; the chunked
 * start reads the same bytes whatever it is, the peer reads all of them), FIRST_SOUND_RUNS (3),
 * FIRST_SOUND_LINKS ("loopback,100": loopback and a throttled link of 100 Mbit/s).
 */
const RATE = 48000;
const ROOM = 'first-sound';

interface FetchRecord {
  url: string;
  range: string | null;
  start: number;
  end: number;
  bytes: number;
}

interface RunResult {
  firstSound: number;
  parts: { opened: number; fetched: number; started: number };
  bytes: number;
  requests: number;
}

interface PeerResult {
  firstSound: number;
  fetched: number;
  decoded: number;
  bytes: number;
}

/** A stereo 16-bit WAV: a different chord and noise level per stem (the content only has to be real). */
function stereoWav16(i: number, frames: number): Uint8Array {
  const bytes = new Uint8Array(44 + frames * 4);
  const v = new DataView(bytes.buffer);
  const text = (at: number, s: string) => [...s].forEach((ch, k) => (bytes[at + k] = ch.charCodeAt(0)));
  text(0, 'RIFF');
  v.setUint32(4, 36 + frames * 4, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true);
  v.setUint16(22, 2, true);
  v.setUint32(24, RATE, true);
  v.setUint32(28, RATE * 4, true);
  v.setUint16(32, 4, true);
  v.setUint16(34, 16, true);
  text(36, 'data');
  v.setUint32(40, frames * 4, true);
  const f = 55 * 2 ** ((i % 24) / 12);
  let seed = 0x9e3779b9 ^ i;
  for (let n = 0; n < frames; n++) {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    const noise = ((seed >>> 0) / 2 ** 32 - 0.5) * 0.02;
    const t = (2 * Math.PI * n) / RATE;
    const l = 0.2 * Math.sin(f * t) + 0.1 * Math.sin(1.5 * f * t) + noise;
    const r = 0.2 * Math.sin(f * t + 0.3) + 0.1 * Math.sin(2 * f * t) + noise;
    v.setInt16(44 + n * 4, Math.round(l * 32767), true);
    v.setInt16(46 + n * 4, Math.round(r * 32767), true);
  }
  return bytes;
}

/** Runs in the page before its scripts: records every fetch (Range, timing, bytes) on the page's clock. */
function recordFetches(): void {
  const log: FetchRecord[] = [];
  (window as unknown as { __fetchLog: FetchRecord[] }).__fetchLog = log;
  const original = window.fetch.bind(window);
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    const entry: FetchRecord = { url, range: headers.get('range'), start: performance.now(), end: NaN, bytes: 0 };
    log.push(entry);
    const res = await original(input, init);
    // The body is read by the caller: time its arrayBuffer() (the only way the app reads audio).
    const arrayBuffer = res.arrayBuffer.bind(res);
    res.arrayBuffer = async () => {
      const b = await arrayBuffer();
      entry.end = performance.now();
      entry.bytes = b.byteLength;
      return b;
    };
    return res;
  };
}

async function throttle(context: BrowserContext, page: Page, mbps: number | null): Promise<void> {
  if (mbps === null) return;
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const bytes = (mbps * 1e6) / 8;
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 10, downloadThroughput: bytes, uploadThroughput: bytes });
}

/** One fresh listener: join, press Play at once, measure. Then the peer on the same page and link. */
async function runOnce(browser: Browser, server: RoomServer, mbps: number | null, name: string): Promise<{ ours: RunResult; peer: PeerResult }> {
  const room = await openRoom(browser, server.server.url, ROOM, name, async (context, page) => {
    await installOutputTap(context);
    await context.addInitScript({ content: pageScript(recordFetches) });
    await throttle(context, page, mbps);
  });
  const { page } = room;
  // A stem given up after the wait (or failing) would make the figure meaningless: report it.
  const notices: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'warning' || m.type() === 'error') notices.push(m.text());
  });
  try {
    await page.evaluate(() => {
      const w = window as unknown as { __mixroom: { transport: { onChange(l: (s: { buffering: boolean; playing: boolean }) => void): void } }; __starts: number[] };
      w.__starts = [];
      let was = false;
      w.__mixroom.transport.onChange((s) => {
        const sounding = s.playing && !s.buffering;
        if (sounding && !was) w.__starts.push(performance.now());
        was = sounding;
      });
    });
    await armTap(page);
    await page.getByRole('button', { name: 'Play' }).click();
    await waitForSound(page, 120_000);
    const rec = await readTap(page);
    const t = await page.evaluate(() => {
      const w = window as unknown as { __fetchLog: FetchRecord[]; __starts: number[] };
      return { log: w.__fetchLog.filter((e) => e.range !== null), starts: w.__starts };
    });
    const click = rec.markedAt;
    if (process.env.FIRST_SOUND_DEBUG) {
      for (const e of [...t.log].sort((a, b) => a.start - b.start)) {
        console.log(`  ${(e.start - click).toFixed(0).padStart(6)} .. ${(e.end - click).toFixed(0).padStart(6)} ms  ${e.range}  ${e.bytes} B  ${new URL(e.url, 'http://x').pathname.slice(-24)}`);
      }
    }
    // Per object (the path, whatever the host): its first Range read is the header, the next one the audio at the playhead.
    const byObject = new Map<string, FetchRecord[]>();
    for (const e of t.log) {
      const key = new URL(e.url, 'http://x').pathname;
      byObject.set(key, [...(byObject.get(key) ?? []), e]);
    }
    const started = t.starts.find((x) => x >= click - 1) ?? NaN;
    const soundAt = rec.firstSound!.at;
    // Opened: every stem's first read (its header, and its first audio with it at the top of the
    // song) is in. Fetched: the last read that ended before playback started is in.
    let opened = 0;
    let fetched = 0;
    let bytes = 0;
    let requests = 0;
    for (const reads of byObject.values()) {
      reads.sort((a, b) => a.start - b.start);
      opened = Math.max(opened, reads[0]!.end);
      for (const e of reads) {
        if (e.end <= started) fetched = Math.max(fetched, e.end);
        if (e.start <= soundAt) {
          bytes += e.bytes;
          requests++;
        }
      }
    }
    const ours: RunResult = {
      firstSound: soundAt - click,
      parts: { opened: opened - click, fetched: fetched - click, started: started - click },
      bytes,
      requests,
    };
    // The peer, on the same page and link: every stem fetched whole and decoded, then all started at once.
    await page.evaluate(() => (window as unknown as { __mixroom: { transport: { pause(): void } } }).__mixroom.transport.pause());
    const urls = [...byObject.values()].map((reads) => reads[reads.length - 1]!.url);
    const peer = await page.evaluate(async (list) => {
      const ctx = new AudioContext({ sampleRate: 48000 });
      await ctx.resume();
      const t0 = performance.now();
      let fetchedAt = 0;
      let bytes = 0;
      const buffers = await Promise.all(
        list.map(async (url) => {
          const res = await fetch(url, { cache: 'no-store' });
          const data = await res.arrayBuffer();
          bytes += data.byteLength;
          fetchedAt = Math.max(fetchedAt, performance.now());
          return ctx.decodeAudioData(data);
        }),
      );
      const decodedAt = performance.now();
      const when = ctx.currentTime + 0.05;
      for (const buffer of buffers) {
        const node = new AudioBufferSourceNode(ctx, { buffer });
        node.connect(ctx.destination);
        node.start(when);
      }
      const ts = ctx.getOutputTimestamp();
      // The same clock as ours: where `when` reaches the output.
      const soundAt = (ts.performanceTime ?? 0) + (when - (ts.contextTime ?? 0)) * 1000;
      await ctx.close();
      return { firstSound: soundAt - t0, fetched: fetchedAt - t0, decoded: decodedAt - t0, bytes };
    }, urls);
    if (notices.length) console.log(`  page notices: ${notices.join(' | ')}`);
    return { ours, peer };
  } finally {
    await room.context.close();
  }
}

export async function run({ signal }: { readonly signal: AbortSignal }): Promise<void> {
  const stems = Number(process.env.FIRST_SOUND_STEMS ?? 40);
  const seconds = Number(process.env.FIRST_SOUND_SECONDS ?? 30);
  const runs = Math.max(1, Number(process.env.FIRST_SOUND_RUNS ?? 3));
  const links = (process.env.FIRST_SOUND_LINKS ?? 'loopback,100').split(',').filter(Boolean).map((l) => (l === 'loopback' ? null : Number(l)));
  const frames = seconds * RATE;
  const server = await startRoomServer([ROOM], { maxStemBytes: 256 * 1024 * 1024, maxStemSeconds: 1200 });
  let browser: Browser | null = null;
  try {
    const t0 = performance.now();
    let next = 0;
    const upload = async () => {
      while (next < stems) {
        signal.throwIfAborted();
        const i = next++;
        const r = await uploadStem(server.server.url, ROOM, `Stem ${String(i + 1).padStart(2, '0')}.wav`, stereoWav16(i, frames));
        if (r.status !== 201) throw new Error(`upload ${i} failed: ${JSON.stringify(r.body)}`);
      }
    };
    await Promise.all([upload(), upload()]);
    // The bake bench's strips on the uploaded tracks.
    await server.server.services.rooms.withRoom(ROOM as RoomId, (doc, origin) => {
      const room = readMixState(doc);
      const bench = bakeBenchMix(stems, frames, RATE, (i) => `stem${i}`);
      const tracks = [...room.tracks].sort((a, b) => a.order - b.order);
      const state: MixState = {
        ...bench,
        session: room.session,
        tracks: tracks.map((t, i) => ({ ...bench.tracks[i]!, id: t.id, name: t.name, stem: t.stem, order: t.order, color: t.color })),
      };
      applyMixState(doc, state, origin);
    });
    console.log(`${stems} stereo 16-bit stems x ${seconds} s uploaded and analysed in ${((performance.now() - t0) / 1000).toFixed(1)} s; the bake bench's mix applied`);
    browser = await launchBrowser();
    for (const mbps of links) {
      const link = mbps === null ? 'loopback' : `${mbps} Mbit/s`;
      const ours: RunResult[] = [];
      const peers: PeerResult[] = [];
      for (let r = 0; r < runs; r++) {
        signal.throwIfAborted();
        const { ours: o, peer: p } = await runOnce(browser, server, mbps, `Bench ${r + 1}`);
        ours.push(o);
        peers.push(p);
        console.log(
          `${link}, run ${r + 1}: first sound ${o.firstSound.toFixed(0)} ms after Play (every stem opened at ${o.parts.opened.toFixed(0)} ms, ` +
            `last read before the start in at ${o.parts.fetched.toFixed(0)} ms, playback started at ${o.parts.started.toFixed(0)} ms; ` +
            `${o.requests} requests, ${(o.bytes / 2 ** 20).toFixed(1)} MiB); ` +
            `peer (whole stems + decodeAudioData): ${p.firstSound.toFixed(0)} ms (fetched ${p.fetched.toFixed(0)} ms, decoded ${p.decoded.toFixed(0)} ms, ${(p.bytes / 2 ** 20).toFixed(0)} MiB)`,
        );
      }
      const med = (xs: number[]) => percentile(xs, 50);
      const o = med(ours.map((x) => x.firstSound));
      const p = med(peers.map((x) => x.firstSound));
      const opened = med(ours.map((x) => x.parts.opened));
      const fetched = med(ours.map((x) => x.parts.fetched));
      const started = med(ours.map((x) => x.parts.started));
      const [a, b, c] = [Math.max(0, opened), Math.max(0, opened, fetched), Math.max(0, opened, fetched, started)];
      console.log(
        `first sound, ${stems} stems, ${link}, median of ${runs}: ${o.toFixed(0)} ms after Play = ` +
          `open every stem (header + first audio, one request each) ${a.toFixed(0)} ms, further reads ${(b - a).toFixed(0)} ms, ` +
          `decode + schedule ${(c - b).toFixed(0)} ms, start + output ${(o - c).toFixed(0)} ms ` +
          `(medians of each mark; the room starts loading on join, so a part done before Play reads 0). ` +
          `Whole stems decoded (peer): ${p.toFixed(0)} ms, ${(p / o).toFixed(1)}x ours (it grows with the stems' length; ours does not).`,
      );
    }
  } finally {
    await browser?.close();
    await server.close();
  }
}
