import { readFileSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DEFAULT_CHUNK_FRAMES, DEFAULT_MEMORY_BUDGET_BYTES, KEEP_BEHIND_FRAMES, PREFETCH_AHEAD_FRAMES, PREFETCH_READ_FRAMES } from '../../client/src/audio/MixEngine.ts';
import { launchBrowser, monoWav16, openRoom, startRoomServer, uploadStems, type RoomPage, type RoomServer } from './roomHarness.ts';

/**
 * The issue's memory case: a room with 40 mono stems loaded into a real Chromium and
 * playing. Measures the browser's memory (PSS of every Chromium process this test started,
 * after a forced GC) and checks the design's bound: stems are played from chunks read with
 * HTTP Range requests around the playhead, so decoded PCM stays under the engine's memory
 * budget (DEFAULT_MEMORY_BUDGET_BYTES) whatever the stems' length; with 40 mono stems it is
 * the window of about 4 chunks per stem. Also checks time to first sound, that a seek far
 * ahead plays every stem there, and that playback reaches the end.
 *
 * The issue's full case is 40 x 5 minutes; uploading and analysing 1.15 GB of stems takes
 * the server a few minutes on two cores, so CI runs 40 x 30 s (same code path, same
 * bound) and `MIXROOM_MEMORY_FULL=1` runs the full 40 x 5 min.
 */
const ROOM = 'memory-40';
const FS = 48000;
const STEMS = 40;
const SECONDS = process.env['MIXROOM_MEMORY_FULL'] === '1' ? 300 : 30;
const MB = 1024 * 1024;

let server: RoomServer;
let browser: Browser;
let room: RoomPage;

/** Proportional set size (bytes) of every process descended from this one: the browser we launched. */
function descendantsPss(): { bytes: number; processes: number } {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // The process ended while we looked.
    }
  }
  let bytes = 0;
  let processes = 0;
  const stack = [...(children.get(process.pid) ?? [])];
  while (stack.length) {
    const pid = stack.pop()!;
    stack.push(...(children.get(pid) ?? []));
    try {
      const comm = readFileSync(`/proc/${pid}/comm`, 'utf8');
      if (!/chrom/i.test(comm)) continue;
      const pss = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      if (pss) {
        bytes += Number(pss[1]) * 1024;
        processes++;
      }
    } catch {
      // Gone or not readable.
    }
  }
  return { bytes, processes };
}

beforeAll(async () => {
  server = await startRoomServer([ROOM], { maxStemBytes: 64 * MB, maxStemSeconds: 600 });
  // Distinct content per stem (a different tone each), uploaded two at a time through the real API.
  await uploadStems(server, ROOM, STEMS, (i) => {
    const freq = 60 + i * 23;
    return { fileName: `Stem ${String(i + 1).padStart(2, '0')}.wav`, wav: monoWav16((n) => 0.1 * Math.sin((2 * Math.PI * freq * n) / FS), SECONDS * FS) };
  });
  browser = await launchBrowser();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The page's debug hook, as far as this test reads it. */
interface Hook {
  engine: {
    meters(): Map<string, { peak: number[] }>;
    onMeter(l: (r: { strip: string; peak: number[] }) => void): () => void;
    heldBytes(): number;
    position(): number;
  };
  media: { progress(): Map<string, number> };
  session: { doc: { getMap(k: string): { get(k: string): { size: number } } } };
  transport: {
    seek(s: number): void;
    play(): void;
    pause(): void;
    setLoop(l: { start: number; end: number } | null): void;
    setLoopEnabled(on: boolean): void;
    snapshot(): { playing: boolean; buffering: boolean; position: number; duration: number };
    onChange(l: (s: { buffering: boolean }) => void): () => void;
  };
}

describe('browser memory with 40 x 5-minute stems', () => {
  // Its waits (first sound, every window, the seek) are each bounded; together they outlast
  // the default test timeout on a starved machine.
  it('plays 40 stems with decoded PCM bounded by the budget, seeks far ahead and plays to the end', async () => {
    const baseline = descendantsPss();
    const started = Date.now();
    room = await openRoom(browser, server.server.url, ROOM, 'Mem');
    const page = room.page;
    // Play waits until every stem's first chunk is in, then starts them together. Time to first
    // sound is measured on the engine's own master meter.
    const playAt = Date.now();
    await page.getByRole('button', { name: 'Play' }).click();
    await page.waitForFunction(() => ((window as unknown as { __mixroom: Hook }).__mixroom.engine.meters().get('master:')?.peak[0] ?? -Infinity) > -60, null, {
      timeout: 120_000,
      polling: 20,
    });
    const firstSoundMs = Date.now() - playAt;
    // Every stem's window around the playhead ready (the header counter done) and all 40 tracks present.
    const windowsReady = (n: number) => {
      const h = (window as unknown as { __mixroom: Hook }).__mixroom;
      return h.session.doc.getMap('mix').get('tracks').size === n && h.media.progress().size === 0;
    };
    await page.waitForFunction(windowsReady, STEMS, { timeout: 240_000, polling: 250 });
    const loadedMs = Date.now() - started;
    // On a starved machine the 30 s song can end before every stem's window is in: the
    // memory below is measured while playing, so start again from 1 s and wait for that window.
    const restarted = await page.evaluate(() => {
      const h = (window as unknown as { __mixroom: Hook }).__mixroom;
      if (h.transport.snapshot().playing) return false;
      h.transport.seek(1);
      return true;
    });
    if (restarted) {
      await page.getByRole('button', { name: 'Play' }).click();
      await page.waitForFunction(windowsReady, STEMS, { timeout: 240_000, polling: 250 });
    }
    await page.waitForTimeout(2000);
    // Steady state: collect what finished reads left for the garbage collector.
    const cdp = await room.context.newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    await page.waitForTimeout(500);
    // The master is read while the transport plays: a starved machine can make it hold at a
    // chunk boundary until the reads catch up (then every strip is silent at once, the engine's
    // -573 dBFS hold feed), so the reading is taken once it plays again. The 30 s song may have
    // ended meanwhile on such a machine: then it plays again from 1 s.
    const reading = await page.evaluate(async () => {
      const h = (window as unknown as { __mixroom: Hook }).__mixroom;
      let restarts = 0;
      let last = '';
      for (const until = performance.now() + 120_000; performance.now() < until; ) {
        const s = h.transport.snapshot();
        const peak = h.engine.meters().get('master:')?.peak ?? [];
        if (s.playing && !s.buffering && Math.max(...peak) > -60) return { peak, restarts, last };
        if (!s.playing) {
          restarts++;
          h.transport.seek(1);
          h.transport.play();
        }
        last = `playing ${s.playing}, buffering ${s.buffering} at ${s.position.toFixed(2)} s, master ${peak.map((p) => p.toFixed(1)).join('/')}`;
        await new Promise((r) => setTimeout(r, 50));
      }
      return { peak: null, restarts, last };
    });
    expect(reading.peak, `no master reading while playing within 120 s (${reading.restarts} restarts; last: ${reading.last})`).not.toBeNull();
    const master = reading.peak!;
    const held = await page.evaluate(() => (window as unknown as { __mixroom: Hook }).__mixroom.engine.heldBytes());
    // V8's own accounting: JS objects, and array-buffer backing stores (where AudioBuffer samples live).
    const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number };
    const heap = await page.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0);
    const after = descendantsPss();

    const pcmBytes = STEMS * SECONDS * FS * 4; // the whole stems as Float32, one channel each
    const C = DEFAULT_CHUNK_FRAMES;
    // The live window: the chunks covering PREFETCH_AHEAD_FRAMES ahead rounded up to a read block (the current one
    // and those after it), and KEEP_BEHIND_FRAMES behind.
    const windowChunks = Math.ceil((PREFETCH_AHEAD_FRAMES + PREFETCH_READ_FRAMES) / C) + 1 + Math.ceil(KEEP_BEHIND_FRAMES / C);
    const windowBytes = Math.min(pcmBytes, STEMS * windowChunks * C * 4);
    const grew = after.bytes - baseline.bytes;
    const stores = usage.backingStorageSize ?? heap;
    console.log(
      `memory ${STEMS} x ${SECONDS} s mono stems: browser PSS ${(after.bytes / MB).toFixed(0)} MB over ${after.processes} processes ` +
        `(before opening the room ${(baseline.bytes / MB).toFixed(0)} MB, growth ${(grew / MB).toFixed(0)} MB), ` +
        `V8 heap ${(usage.usedSize / MB).toFixed(1)} MB + array-buffer stores ${(stores / MB).toFixed(1)} MB ` +
        `(performance.memory.usedJSHeapSize ${(heap / MB).toFixed(1)} MB); engine holds ${(held / MB).toFixed(1)} MB of chunks ` +
        `(window bound ${(windowBytes / MB).toFixed(0)} MB, budget ${(DEFAULT_MEMORY_BUDGET_BYTES / MB).toFixed(0)} MB; whole stems decoded would be ${(pcmBytes / MB).toFixed(0)} MB); ` +
        `first sound ${firstSoundMs} ms after Play; every stem's window ready ${(loadedMs / 1000).toFixed(1)} s after opening${restarted || reading.restarts ? ' (the song had ended: restarted at 1 s)' : ''}; master peak ${master.map((p) => p.toFixed(1)).join('/')} dBFS`,
    );
    // Playing: the sum of 40 tones reaches the master.
    expect(Math.max(...master)).toBeGreaterThan(-30);
    // The bound, independent of stem length: the engine holds at most its window (within the
    // budget), and the page's sample stores hold little more (chunks playing or just evicted).
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThanOrEqual(windowBytes);
    expect(stores).toBeLessThan(DEFAULT_MEMORY_BUDGET_BYTES + 64 * MB);
    // Beyond the chunks: 35-50 MB of peaks, worklet and page buffers, measured alike for 30 s
    // and 5 min stems. (In CI, 30 s stems decoded whole would already exceed this: 220 MB + those.)
    expect(stores).toBeLessThan(windowBytes + 80 * MB);
    // The whole browser (renderer, GPU, audio and network processes) on top of that stays
    // within a fixed allowance, whatever the stem length.
    expect(grew).toBeLessThan(DEFAULT_MEMORY_BUDGET_BYTES + 900 * MB);

    // Steady playback across chunk boundaries: while the transport plays, every track sounds
    // (a stem is never missing on its own; holds are printed). Paused, back to 1 s
    // (its window, the chunks covering 1 s to 1 s + PREFETCH_AHEAD_FRAMES of every stem, is read
    // again if it was evicted); once those are held, play, and after a second (meter messages
    // are delivered late when the page is busy), for 10 s, across several chunk boundaries,
    // every track meter reading of every stem has its tone. Pausing while the window loads keeps the span measured the same on a slow
    // machine (playing, the playhead ran past the first boundary before the window was in).
    const steady = await page.evaluate(
      async ([n, windowAt1s]) => {
        const h = (window as unknown as { __mixroom: Hook }).__mixroom;
        const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
        // For the failure report: each track's latest reading before the seek.
        const before = new Map([...h.engine.meters()].filter(([s]) => s.startsWith('track:')).map(([s, r]) => [s, Math.max(...r.peak)]));
        h.transport.pause();
        h.transport.seek(1);
        for (let waited = 0; h.engine.heldBytes() < windowAt1s && waited < 60_000; waited += 50) await sleep(50);
        h.transport.play();
        await sleep(1000);
        const from = h.engine.position();
        let readings = 0;
        const silentAt: number[] = [];
        // Holds (every strip silent at once while reads catch up on a starved machine) are
        // counted apart: readings then, and for 300 ms after (meter messages arrive late), are left out.
        let holds = 0;
        let holdEnded = -Infinity;
        let holding = h.transport.snapshot().buffering;
        const offHold = h.transport.onChange((s) => {
          if (s.buffering && !holding) holds++;
          if (!s.buffering && holding) holdEnded = performance.now();
          holding = s.buffering;
        });
        // Per silent strip: how many readings, and the last peak (NaN: a NaN in its chain; -Infinity: no signal).
        const silentStrips = new Map<string, { n: number; last: number }>();
        const off = h.engine.onMeter((r) => {
          if (!r.strip.startsWith('track:') || holding || performance.now() - holdEnded < 300) return;
          readings++;
          const peak = Math.max(...r.peak);
          if (peak > -40) return;
          silentAt.push(h.engine.position());
          silentStrips.set(r.strip, { n: (silentStrips.get(r.strip)?.n ?? 0) + 1, last: peak });
        });
        // The page's main thread schedules the chunks: note its longest stall.
        let last = performance.now();
        let stall = 0;
        const tick = setInterval(() => {
          const now = performance.now();
          stall = Math.max(stall, now - last);
          last = now;
        }, 20);
        await sleep(10_000);
        clearInterval(tick);
        off();
        offHold();
        const strips = [...silentStrips].map(([strip, v]) => `${strip} x${v.n} (last peak ${v.last}, before the seek ${before.get(strip)})`);
        return { from, to: h.engine.position(), readings, holds, silent: silentAt.length, silentFrom: Math.min(...silentAt), silentTo: Math.max(...silentAt), strips, stall };
      },
      [STEMS, STEMS * Math.ceil((FS + PREFETCH_AHEAD_FRAMES) / PREFETCH_READ_FRAMES) * PREFETCH_READ_FRAMES * 4] as const,
    );
    console.log(
      `steady playback ${steady.from.toFixed(1)}-${steady.to.toFixed(1)} s: ${steady.silent} silent of ${steady.readings} track meter readings while playing, ${steady.holds} holds for reads` +
        `${steady.silent ? ` (at ${steady.silentFrom.toFixed(2)}-${steady.silentTo.toFixed(2)} s: ${steady.strips.join(', ')}; page errors ${JSON.stringify(room.errors)})` : ''}; longest main-thread stall ${steady.stall.toFixed(0)} ms`,
    );
    // Past the window read at 1 s (it ends at 3 read blocks, 16.4 s): the rest was read while playing.
    const windowEnd = Math.ceil((FS + PREFETCH_AHEAD_FRAMES) / PREFETCH_READ_FRAMES) * PREFETCH_READ_FRAMES;
    expect(steady.from).toBeLessThan(8 * C / FS);
    expect(steady.to).toBeGreaterThan(Math.min(windowEnd, 8 * C) / FS);
    expect(steady.readings).toBeGreaterThan(STEMS * (10 - 0.3 * steady.holds) * 15);
    expect(steady.silent).toBe(0);

    // A loop longer than the window: its whole region is kept (it fits the budget), so each
    // pass plays from memory; turning the loop off releases it again.
    const loopRange = { start: 0.5, end: 29.5 };
    const loopBytes = STEMS * Math.min(SECONDS * FS, Math.ceil((loopRange.end * FS) / C) * C) * 4;
    await page.evaluate((l) => {
      const t = (window as unknown as { __mixroom: Hook }).__mixroom.transport;
      t.setLoop(l);
      t.setLoopEnabled(true);
      t.seek(l.start);
    }, loopRange);
    await page.waitForFunction((bytes) => (window as unknown as { __mixroom: Hook }).__mixroom.engine.heldBytes() >= bytes, loopBytes, { timeout: 60_000, polling: 100 });
    const heldLooping = await page.evaluate(() => (window as unknown as { __mixroom: Hook }).__mixroom.engine.heldBytes());
    await page.evaluate(() => (window as unknown as { __mixroom: Hook }).__mixroom.transport.setLoopEnabled(false));
    console.log(`loop ${loopRange.start}-${loopRange.end} s: engine holds ${(heldLooping / MB).toFixed(1)} MB (the region's ${(loopBytes / MB).toFixed(0)} MB)`);
    expect(heldLooping).toBeLessThanOrEqual(DEFAULT_MEMORY_BUDGET_BYTES);

    // Seek far ahead while playing: nothing there is read yet; every stem joins as its chunk arrives.
    const target = SECONDS - 8;
    const seekAt = Date.now();
    // Readings count once the song is 0.1 s past the seek target: older ones may still be the old position's sound.
    await page.evaluate((t) => {
      const w = window as unknown as { __mixroom: Hook; __sounding: Set<string> };
      const h = w.__mixroom;
      w.__sounding = new Set();
      h.engine.onMeter((r) => {
        if (r.strip.startsWith('track:') && h.engine.position() >= t + 0.1 && Math.max(...r.peak) > -40) w.__sounding.add(r.strip);
      });
      h.transport.seek(t);
    }, target);
    await page.waitForFunction((n) => (window as unknown as { __sounding: Set<string> }).__sounding.size === n, STEMS, { timeout: 60_000, polling: 20 });
    const seekSoundMs = Date.now() - seekAt;
    const heldAfterSeek = await page.evaluate(() => (window as unknown as { __mixroom: Hook }).__mixroom.engine.heldBytes());
    // Plays to the end of the song and stops there.
    await page.waitForFunction(() => !(window as unknown as { __mixroom: Hook }).__mixroom.transport.snapshot().playing, null, { timeout: 60_000, polling: 100 });
    const end = await page.evaluate(() => (window as unknown as { __mixroom: Hook }).__mixroom.transport.snapshot());
    console.log(
      `seek to ${target} s while playing: all ${STEMS} stems sounding there ${seekSoundMs} ms later, engine holds ${(heldAfterSeek / MB).toFixed(1)} MB; ` +
        `played to the end: stopped at ${end.position.toFixed(2)} s of ${end.duration.toFixed(2)} s`,
    );
    expect(heldAfterSeek).toBeLessThanOrEqual(windowBytes);
    // The room's transport stops within its 0.1 s end check after the last sample.
    expect(end.position).toBeGreaterThanOrEqual(SECONDS);
    expect(end.position).toBeLessThan(SECONDS + 0.5);
  }, 600_000);
});
