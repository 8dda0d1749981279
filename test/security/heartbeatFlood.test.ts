import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MESSAGE_TYPES } from '@mixroom/shared/protocol';
import { startSecurityFixture, type SecurityFixture } from './securityHarness.ts';

/**
 * The heartbeat (one byte, echoed so the client can tell it is online) must not become a
 * write amplifier: a socket that floods it is answered a few times a second at most, keeps
 * its connection (liveness is not an offence), and a well-behaved client is still answered
 * every time.
 */
let fx: SecurityFixture;
beforeAll(async () => {
  fx = await startSecurityFixture();
});
afterAll(() => fx?.close());

const HEARTBEAT = Uint8Array.of(MESSAGE_TYPES.heartbeat);

/** A raw socket of the owner's session, resolved once the server's sync step 1 arrived; counts heartbeat echoes. */
async function openSocket(): Promise<{ ws: WebSocket; echoes: () => number; closed: () => number | null }> {
  const ws = new WebSocket(`${fx.product.url.replace(/^http/, 'ws')}/sync/${fx.roomId}`, { headers: { cookie: fx.owner.cookie, origin: fx.product.url } });
  let echoes = 0;
  let closeCode: number | null = null;
  ws.on('close', (code) => (closeCode = code));
  await new Promise<void>((resolve, reject) => {
    ws.once('message', () => resolve());
    ws.once('close', (code) => reject(new Error(`closed ${code}`)));
  });
  ws.on('message', (data: Buffer) => {
    if (data.length === 1 && data[0] === MESSAGE_TYPES.heartbeat) echoes++;
  });
  return { ws, echoes: () => echoes, closed: () => closeCode };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('heartbeat flood', () => {
  it('20,000 heartbeats in a burst get a handful of echoes, and the socket stays open', async () => {
    const flood = await openSocket();
    const sent = 20_000;
    const started = performance.now();
    for (let i = 0; i < sent; i++) flood.ws.send(HEARTBEAT);
    await sleep(1500);
    const seconds = (performance.now() - started) / 1000;
    // At most one echo per 250 ms of the burst and the wait after it (plus the first).
    expect(flood.echoes()).toBeGreaterThanOrEqual(1);
    expect(flood.echoes()).toBeLessThanOrEqual(Math.ceil(seconds * 4) + 1);
    expect(flood.closed()).toBeNull();
    expect(flood.ws.readyState).toBe(WebSocket.OPEN);
    flood.ws.close();
  });

  it('a client heartbeating once a second gets every echo', async () => {
    const calm = await openSocket();
    for (let i = 0; i < 4; i++) {
      const sentAt = performance.now();
      calm.ws.send(HEARTBEAT);
      while (calm.echoes() < i + 1 && performance.now() - sentAt < 5000) await sleep(20);
      expect(calm.echoes()).toBe(i + 1);
      await sleep(Math.max(0, 1000 - (performance.now() - sentAt)));
    }
    calm.ws.close();
  });
});
