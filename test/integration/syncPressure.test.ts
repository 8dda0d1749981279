import { once } from 'node:events';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { MESSAGE_TYPES } from '@mixroom/shared/protocol';
import type { RunningServer } from '../../server/src/createServer.ts';
import { connectClient, makeTempDir, startTestServer, testConfig, waitFor, whenSynced, type TestClient } from './syncHarness.ts';

/**
 * A y-websocket peer made of a bare `ws` socket: it applies what it is sent to its own doc and
 * awareness and counts the frames, and it can stop reading (its TCP socket paused) like a
 * client on a congested link.
 */
interface FrameCounter {
  readonly ws: WebSocket;
  readonly doc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  readonly frames: { sync: number; awareness: number };
  /** Message types in arrival order. */
  readonly order: number[];
  pause(): void;
  resume(): void;
  close(): void;
}

async function frameCounter(serverUrl: string, room: string, user: string): Promise<FrameCounter> {
  // Without permessage-deflate: the repetitive test text would shrink a thousandfold on the wire.
  const ws = new WebSocket(`${serverUrl.replace(/^http/, 'ws')}/sync/${room}?user=${user}`, { perMessageDeflate: false });
  const doc = new Y.Doc();
  const awareness = new awarenessProtocol.Awareness(doc);
  awareness.setLocalState(null);
  const frames = { sync: 0, awareness: 0 };
  const order: number[] = [];
  ws.binaryType = 'nodebuffer';
  ws.on('message', (data: Buffer) => {
    const decoder = decoding.createDecoder(new Uint8Array(data));
    const type = decoding.readVarUint(decoder);
    order.push(type);
    if (type === MESSAGE_TYPES.sync) {
      frames.sync += 1;
      const reply = encoding.createEncoder();
      encoding.writeVarUint(reply, MESSAGE_TYPES.sync);
      syncProtocol.readSyncMessage(decoder, reply, doc, 'server');
    } else if (type === MESSAGE_TYPES.awareness) {
      frames.awareness += 1;
      awarenessProtocol.applyAwarenessUpdate(awareness, decoding.readVarUint8Array(decoder), 'server');
    }
  });
  await once(ws, 'open');
  const raw = (ws as unknown as { _socket: import('node:net').Socket })._socket;
  const resumeRaw = raw.resume.bind(raw);
  return {
    ws,
    doc,
    awareness,
    frames,
    order,
    // `ws` resumes its TCP socket itself whenever its parser drains: held off while paused.
    pause: () => {
      raw.resume = () => raw;
      raw.pause();
    },
    resume: () => {
      raw.resume = resumeRaw;
      raw.resume();
    },
    close: () => ws.terminate(),
  };
}

let dir: { path: string; remove(): Promise<void> };
let server: RunningServer | null = null;
const clients: TestClient[] = [];
const counters: FrameCounter[] = [];
beforeAll(async () => {
  dir = await makeTempDir('mixroom-pressure-');
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  for (const c of counters.splice(0)) c.close();
  await server?.close();
  server = null;
});
afterAll(async () => {
  await dir.remove();
});

const MEGABYTES = 24;

describe('sync under pressure', () => {
  it('relays a room’s presence changes as one frame per tick, not one per change', async () => {
    server = await startTestServer(testConfig(dir.path));
    const people = Array.from({ length: 20 }, (_, i) => connectClient(server!.url, 'tick', { user: `p${i}` }));
    clients.push(...people);
    await Promise.all(people.map(whenSynced));
    const observer = await frameCounter(server.url, 'tick', 'observer');
    counters.push(observer);
    await waitFor('observer synced', () => observer.frames.sync > 0);
    await new Promise((r) => setTimeout(r, 200));
    const before = observer.frames.awareness;

    // Everyone moves at once: 20 changes from 20 sockets.
    for (const [i, p] of people.entries()) p.provider.awareness.setLocalStateField('playhead', i + 1);
    await waitFor('observer saw every change', () =>
      people.every((p, i) => (observer.awareness.getStates().get(p.doc.clientID) as { playhead?: number } | undefined)?.playhead === i + 1),
    );
    const frames = observer.frames.awareness - before;
    // One per 16 ms tick: the changes arrive within a few ticks (20 frames when relayed one by one).
    expect(frames).toBeGreaterThan(0);
    expect(frames).toBeLessThan(8);
  });

  it('a socket that is behind gets every mix update first, and presence merged once it caught up', async () => {
    server = await startTestServer(testConfig(dir.path));
    const writer = connectClient(server.url, 'behind', { user: 'w' });
    const mover = connectClient(server.url, 'behind', { user: 'm' });
    clients.push(writer, mover);
    await Promise.all([whenSynced(writer), whenSynced(mover)]);
    const healthy = await frameCounter(server.url, 'behind', 'healthy');
    const slow = await frameCounter(server.url, 'behind', 'slow');
    counters.push(healthy, slow);
    await waitFor('both synced', () => healthy.frames.sync > 0 && slow.frames.sync > 0);
    await new Promise((r) => setTimeout(r, 100));
    slow.pause();
    const awarenessBefore = { healthy: healthy.frames.awareness, slow: slow.frames.awareness };

    // 24 MB of mix updates: more than loopback's kernel buffers hold for a reader that stopped.
    const text = writer.doc.getText('t');
    for (let i = 0; i < MEGABYTES; i++) text.insert(0, String(i % 10).repeat(1_000_000));
    // Relayed to both: the slow socket's share waits in the server, which now counts it behind.
    await waitFor('healthy peer got every update', () => healthy.doc.getText('t').length === MEGABYTES * 1_000_000, 60_000);
    // Then someone moves a fader: 60 presence changes over a second.
    for (let i = 1; i <= 60; i++) {
      mover.provider.awareness.setLocalStateField('fader', i);
      await new Promise((r) => setTimeout(r, 16));
    }
    const faderOf = (c: FrameCounter) => (c.awareness.getStates().get(mover.doc.clientID) as { fader?: number } | undefined)?.fader;
    await waitFor('healthy peer saw the last fader position', () => faderOf(healthy) === 60, 30_000);

    slow.resume();
    await waitFor('slow peer got every update', () => slow.doc.getText('t').length === MEGABYTES * 1_000_000, 60_000);
    await waitFor('slow peer got the last fader position', () => faderOf(slow) === 60, 30_000);
    const healthyFrames = healthy.frames.awareness - awarenessBefore.healthy;
    const slowFrames = slow.frames.awareness - awarenessBefore.slow;
    // The healthy peer saw the fader move; the slow one got the stale frames merged into a few.
    expect(healthyFrames).toBeGreaterThan(20);
    expect(slowFrames).toBeLessThan(healthyFrames / 2);
    console.info(`presence frames while behind: ${slowFrames} (a healthy socket: ${healthyFrames})`);
    expect(slow.doc.getText('t').toString()).toBe(writer.doc.getText('t').toString());
  }, 120_000);
});
