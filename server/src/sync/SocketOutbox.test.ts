import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { DIRECT_FRAME_MAX_BYTES, SocketOutbox } from './SocketOutbox.ts';

/** A real server-side socket and its client, with the server socket's writes to the kernel counted. */
async function socketPair() {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await once(wss, 'listening');
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
  const [server] = (await once(wss, 'connection')) as [WebSocket];
  await once(client, 'open');
  const raw = (server as unknown as { _socket: { _write: Function; _writev: Function } })._socket;
  const writes = { count: 0 };
  for (const key of ['_write', '_writev'] as const) {
    const original = raw[key];
    raw[key] = function (this: unknown, ...args: unknown[]) {
      writes.count += 1;
      return original.apply(this, args);
    };
  }
  const received: string[] = [];
  const bytes: Buffer[] = [];
  client.on('message', (data: Buffer) => {
    received.push(data.toString());
    bytes.push(data);
  });
  return { wss, client, server, writes, received, bytes };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));
const until = async (predicate: () => boolean) => {
  while (!predicate()) await new Promise((resolve) => setTimeout(resolve, 5));
};

let cleanup: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanup) c();
  cleanup = [];
});

/** An outbox on a real socket pair with a fixed pacing gap; torn down after the test. */
async function outboxWithGap(gapMs: number) {
  const { wss, client, server, writes, received, bytes } = await socketPair();
  cleanup.push(() => (client.terminate(), wss.close()));
  const outbox = new SocketOutbox(server, { behindBytes: 1 << 20, maxBufferedBytes: 1 << 24, currentPresence: () => null, onTooSlow: () => undefined, pacer: { gapMs } });
  return { outbox, server, writes, received, bytes };
}

describe('SocketOutbox', () => {
  it('on a busy node, sends what arrives within the gap after a write in one write, in order', async () => {
    const { outbox, writes, received } = await outboxWithGap(1000);
    outbox.sendDoc(Buffer.from('a'));
    await until(() => received.length === 1);
    expect(writes.count).toBe(1);
    // Two later turns: each would be a write of its own without the gap.
    outbox.sendDoc(Buffer.from('b'));
    await turn();
    outbox.sendPresence(Buffer.from('p'));
    outbox.sendDoc(Buffer.from('c'));
    await turn();
    expect(received).toEqual(['a']);
    await until(() => received.length === 4);
    // Documents first and in order, presence after them.
    expect(received).toEqual(['a', 'b', 'c', 'p']);
    expect(writes.count).toBe(2);
    outbox.close();
  });

  it('on an idle node (no gap), writes each turn at once', async () => {
    const { outbox, writes, received } = await outboxWithGap(0);
    for (const frame of ['a', 'b', 'c']) {
      outbox.sendDoc(Buffer.from(frame));
      await turn();
    }
    await until(() => received.length === 3);
    expect(received).toEqual(['a', 'b', 'c']);
    expect(writes.count).toBe(3);
    outbox.close();
  });

  it('frames every size a client reads back whole and in order, small ones framed here, large ones by ws', async () => {
    const { outbox, bytes } = await outboxWithGap(0);
    // Each length field form (7-bit, 16-bit) at its edges, and one past the direct path's limit.
    const sizes = [0, 1, 125, 126, 127, 300, 65535 >> 2, DIRECT_FRAME_MAX_BYTES - 1, DIRECT_FRAME_MAX_BYTES, 70_000];
    const payloads = sizes.map((n, i) => Uint8Array.from({ length: n }, (_, k) => (k * 31 + i) & 0xff));
    // Half in one turn (one write), half one per turn.
    for (const payload of payloads.slice(0, 5)) outbox.sendDoc(payload);
    await turn();
    for (const payload of payloads.slice(5)) {
      outbox.sendDoc(payload);
      await turn();
    }
    await until(() => bytes.length === payloads.length);
    expect(bytes.map((b) => b.byteLength)).toEqual(sizes);
    for (const [i, payload] of payloads.entries()) expect(Buffer.compare(bytes[i]!, Buffer.from(payload)), `frame ${i}`).toBe(0);
    outbox.close();
  });

  it('drops what a closed outbox still held and never writes again', async () => {
    const { outbox, server, writes, received } = await outboxWithGap(1000);
    outbox.sendDoc(Buffer.from('a'));
    await until(() => received.length === 1);
    outbox.sendDoc(Buffer.from('b'));
    outbox.close();
    outbox.sendDoc(Buffer.from('c'));
    server.send('end');
    await until(() => received.length === 2);
    expect(received).toEqual(['a', 'end']);
    expect(writes.count).toBe(2);
  });
});
