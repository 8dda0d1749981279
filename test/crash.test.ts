import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kill9, spawnServerProcess, type ServerProcess } from './integration/spawnServerProcess.ts';
import { connectClient, joinOpenRoom, makeTempDir, waitFor, whenSynced, type TestClient } from './integration/syncHarness.ts';

const ROOM = 'crash-room';

/** A real server process; a small compaction threshold makes kills land in compactions too. */
const spawnServer = (dataDir: string) => spawnServerProcess(dataDir, { OPEN_ROOMS: ROOM, COMPACT_LOG_BYTES: '4096' });

let dir: { path: string; remove(): Promise<void> };
let current: ServerProcess | null = null;
beforeAll(async () => {
  dir = await makeTempDir('mixroom-crash-');
});
afterAll(async () => {
  if (current) await kill9(current);
  await dir.remove();
});

describe('crash safety (kill -9 of a real server process)', () => {
  it('keeps every update another client saw relayed', async () => {
    const mustSurvive = new Set<string>();
    let written = 0;
    for (let cycle = 0; cycle < 3; cycle++) {
      current = await spawnServer(dir.path);
      const cookie = await joinOpenRoom(current.url, ROOM);
      const writer: TestClient = connectClient(current.url, ROOM, {}, { cookie });
      const observer: TestClient = connectClient(current.url, ROOM, {}, { cookie });
      await Promise.all([whenSynced(writer), whenSynced(observer)]);
      // Everything from earlier cycles is there after the restart.
      for (const key of mustSurvive) expect(observer.doc.getMap('m').has(key), key).toBe(true);

      const seen = new Set<string>();
      observer.doc.getMap('m').observe((event) => {
        for (const key of event.keysChanged) seen.add(key);
      });
      // Continuous writes, several per tick, until the kill.
      const timer = setInterval(() => {
        for (let i = 0; i < 5; i++) writer.doc.getMap('m').set(`c${cycle}-${written++}`, 'x'.repeat(40));
      }, 1);
      await waitFor('observer saw writes', () => seen.size > 300 + cycle * 200);
      await kill9(current);
      clearInterval(timer);
      current = null;
      // Frames already in the observer's socket were relayed before the kill: count them too.
      await new Promise((r) => setTimeout(r, 100));
      for (const key of seen) mustSurvive.add(key);
      writer.destroy();
      observer.destroy();
    }

    current = await spawnServer(dir.path);
    const reader = connectClient(current.url, ROOM, {}, { cookie: await joinOpenRoom(current.url, ROOM) });
    await whenSynced(reader);
    const stored = reader.doc.getMap('m');
    const missing = [...mustSurvive].filter((k) => !stored.has(k));
    expect(missing).toEqual([]);
    expect(mustSurvive.size).toBeGreaterThan(900);
    // The writer also wrote keys nobody saw relayed; some of those may be lost, never more.
    expect(stored.size).toBeLessThanOrEqual(written);
    reader.destroy();
    console.info(
      `crash test: ${written} written, ${mustSurvive.size} seen relayed before 3 kill -9s, ${stored.size} restored, 0 missing`,
    );
    // The sync side reported nothing wrong about the room (a torn tail is a warning).
    const roomErrors = current.lines.filter((l) => l.includes('"level":"error"') && l.includes(`"roomId":"${ROOM}"`));
    expect(roomErrors).toEqual([]);
  }, 300_000);
});
