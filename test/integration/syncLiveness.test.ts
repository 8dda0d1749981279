import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '@mixroom/shared/protocol';
import {
  connectClient,
  startTestServer,
  testConfig,
  waitFor,
  whenSynced,
  type LogLine,
} from './syncHarness.ts';
import { useSyncFixture } from './useSyncFixture.ts';

/** A WebSocket opened by hand over TCP: it never answers pings and reads only when told. */
async function rawWebSocket(port: number, path: string): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.write(
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  const [head] = (await once(socket, 'data')) as [Buffer];
  expect(head.toString('latin1')).toMatch(/^HTTP\/1.1 101/);
  return socket;
}

const fx = useSyncFixture('mixroom-liveness-');
const { clients } = fx;
const sockets: Socket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.destroy();
});

describe('sync connection liveness', () => {
  it('drops a socket that stops answering pings, and its room unloads', async () => {
    fx.server = await startTestServer(testConfig(fx.dir.path, { PING_INTERVAL_MS: '100', ROOM_IDLE_UNLOAD_MS: '0' }));
    const socket = await rawWebSocket(fx.server.port, '/sync/silent');
    sockets.push(socket);
    await waitFor('room loaded', () => fx.server!.services.rooms.isLoaded('silent' as never));
    socket.resume();
    await once(socket, 'close');
    await waitFor('room unloaded', () => !fx.server!.services.rooms.isLoaded('silent' as never));
  });

  it('disconnects a client that stops reading (4503) without holding up the others', async () => {
    const lines: LogLine[] = [];
    fx.server = await startTestServer(testConfig(fx.dir.path, { MAX_SOCKET_BUFFER_BYTES: '65536' }), { lines });
    const writer = connectClient(fx.server.url, 'slow', { user: 'w' });
    const reader = connectClient(fx.server.url, 'slow', { user: 'r' });
    clients.push(writer, reader);
    await Promise.all([whenSynced(writer), whenSynced(reader)]);
    const stalled = await rawWebSocket(fx.server.port, '/sync/slow?user=stalled');
    sockets.push(stalled);
    stalled.pause();

    // ~16 MB of relayed updates: far beyond what the kernel buffers for a reader that stopped.
    for (let i = 0; i < 16; i++) writer.doc.getText('t').insert(0, String(i % 10).repeat(1_000_000));
    await waitFor('slow consumer closed', () =>
      lines.some((l) => l.msg === 'closing sync connection' && l.fields.code === CLOSE_CODES.slowConsumer),
    );
    await waitFor('healthy reader got everything', () => reader.doc.getText('t').length === 16_000_000, 60_000);
  });
});
