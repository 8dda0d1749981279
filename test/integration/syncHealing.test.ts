import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as syncProtocol from 'y-protocols/sync';
import * as encoding from 'lib0/encoding';
import { CLOSE_CODES, MESSAGE_TYPES } from '@mixroom/shared/protocol';
import type { RunningServer } from '../../server/src/createServer.ts';
import {
  startTestServer,
  testConfig,
  waitFor,
  whenSynced,
  type LogLine,
} from './syncHarness.ts';
import { useSyncFixture } from './useSyncFixture.ts';

const fx = useSyncFixture('mixroom-heal-');
const { clients, open } = fx;

function updateFrame(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_TYPES.sync);
  syncProtocol.writeUpdate(e, update);
  return encoding.toUint8Array(e);
}

/** Sends `frames` on a raw socket to `room` and resolves with the close code. */
function sendAndWaitClose(server: RunningServer, room: string, frames: Uint8Array[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/sync/${room}?user=mallory`);
    ws.on('open', () => {
      for (const f of frames) ws.send(f);
    });
    ws.on('close', (code) => resolve(code));
    ws.on('error', reject);
  });
}

describe('room state that heals', () => {
  it('a flipped bit in the newest snapshot falls back to the previous one: the room opens whole', async () => {
    const lines: LogLine[] = [];
    // Every close of the server compacts: three sessions make generations 1 and 2.
    const config = testConfig(fx.dir.path);
    const expected: Record<string, number> = {};
    for (let session = 0; session < 3; session++) {
      fx.server = await startTestServer(config, { lines });
      const a = open(fx.server.url, 'bitrot', { user: 'a' });
      await whenSynced(a);
      for (let i = 0; i < 20; i++) {
        a.doc.getMap('m').set(`s${session}-${i}`, i);
        expected[`s${session}-${i}`] = i;
      }
      const b = open(fx.server.url, 'bitrot', { user: 'b' });
      await waitFor('b has the session', () => b.doc.getMap('m').size === Object.keys(expected).length);
      for (const c of clients.splice(0)) c.destroy();
      await fx.server.close();
      fx.server = null;
    }
    const roomDir = join(fx.dir.path, 'rooms', 'bitrot');
    const files = (await readdir(roomDir)).filter((f) => f.endsWith('.ydoc')).sort();
    expect(files).toEqual(['snapshot-2.ydoc', 'snapshot-3.ydoc']);
    const snapshot = join(roomDir, 'snapshot-3.ydoc');
    const bytes = await readFile(snapshot);
    bytes[bytes.byteLength >> 1]! ^= 0x10;
    await writeFile(snapshot, bytes);

    lines.length = 0;
    fx.server = await startTestServer(config, { lines });
    const reader = open(fx.server.url, 'bitrot', { user: 'c' });
    const codes: number[] = [];
    reader.provider.on('connection-close', (event) => {
      if (event) codes.push(event.code);
    });
    await whenSynced(reader);
    expect(reader.doc.getMap('m').toJSON()).toEqual(expected);
    expect(codes).toEqual([]);
    const errors = lines.filter((l) => l.level === 'error');
    expect(errors.map((l) => l.msg)).toEqual([
      'ROOM SNAPSHOT CORRUPT: falling back to the previous generation',
      'ROOM LOADED FROM AN OLDER SNAPSHOT',
    ]);
    expect(errors[0]!.fields).toMatchObject({ roomId: 'bitrot', file: 'snapshot-3.ydoc' });
  });

  it('refuses an update whose dependencies are missing (4422) and never serves it to joiners', async () => {
    const lines: LogLine[] = [];
    fx.server = await startTestServer(testConfig(fx.dir.path), { lines });
    const a = open(fx.server.url, 'pending', { user: 'a' });
    await whenSynced(a);
    a.doc.getMap('m').set('real', 1);

    // Two updates of one client; the second alone has a gap before it: Yjs would hold it pending.
    const forged = new Y.Doc();
    const updates: Uint8Array[] = [];
    forged.on('update', (u: Uint8Array) => updates.push(u));
    forged.getMap('m').set('first', 'x'.repeat(1000));
    forged.getMap('m').set('second', 'y'.repeat(5000));
    const code = await sendAndWaitClose(fx.server, 'pending', [updateFrame(updates[1]!)]);
    expect(code).toBe(CLOSE_CODES.updateRejected);

    const joiner = open(fx.server.url, 'pending', { user: 'b' });
    await whenSynced(joiner);
    await waitFor('joiner has the real edit', () => joiner.doc.getMap('m').get('real') === 1);
    expect(joiner.doc.store.pendingStructs).toBeNull();
    expect(joiner.doc.getMap('m').toJSON()).toEqual({ real: 1 });
    expect(Y.encodeStateAsUpdate(joiner.doc).byteLength).toBeLessThan(200);

    // The owner of the missing dependency is still welcome: it sends both, in order.
    const code2 = await Promise.race([
      sendAndWaitClose(fx.server, 'pending', updates.map(updateFrame)),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 300)),
    ]);
    expect(code2).toBeNull();
    await waitFor('both forged keys applied', () => joiner.doc.getMap('m').size === 3);
  });

  it('an abuse run of refused sockets writes a few lines and one summary, not a line each', async () => {
    const lines: LogLine[] = [];
    fx.server = await startTestServer(testConfig(fx.dir.path), { lines });
    const started = performance.now();
    const closes = await Promise.all(
      Array.from({ length: 300 }, (_, i) => sendAndWaitClose(fx.server!, `abuse-${i % 3}`, [new Uint8Array([0xff, 0xff])])),
    );
    expect(new Set(closes)).toEqual(new Set([CLOSE_CODES.badMessage]));
    await fx.server.close();
    fx.server = null;
    const detailed = lines.filter((l) => l.msg === 'closing sync connection');
    const summaries = lines.filter((l) => l.msg === 'sync connections refused');
    // A few lines in full and one summary per 10 s window (a slow machine may span two or
    // three), and on close.
    const windows = Math.ceil((performance.now() - started) / 10_000) + 1;
    expect(detailed.length).toBeLessThanOrEqual(5 * windows);
    expect(summaries.length).toBeGreaterThanOrEqual(1);
    expect(summaries.length).toBeLessThanOrEqual(windows);
    const suppressed = summaries.reduce((sum, l) => sum + Number(l.fields.suppressed), 0);
    expect(detailed.length + suppressed).toBe(300);
    const byCode = summaries.reduce((sum, l) => sum + Number((l.fields.byCode as Record<number, number>)[CLOSE_CODES.badMessage] ?? 0), 0);
    expect(byCode).toBe(300 - detailed.length);
    for (const l of summaries) expect(Object.keys(l.fields.byCode as object)).toEqual([String(CLOSE_CODES.badMessage)]);
  });
});
