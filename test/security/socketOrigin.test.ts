import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '@mixroom/shared/protocol';
import { probeSocket, startSecurityFixture, type SecurityFixture } from './securityHarness.ts';

/** Cross-site WebSocket hijacking: a foreign page opens the sync socket with the victim's cookie. */
let fx: SecurityFixture;
beforeAll(async () => {
  fx = await startSecurityFixture();
});
afterAll(() => fx?.close());

describe('sync socket upgrades', () => {
  it('from a foreign origin or Origin: null are closed with 4403 before any document byte', async () => {
    for (const doc of [fx.roomId, `${fx.roomId}~review`]) {
      for (const headers of <Array<Record<string, string>>>[{ origin: 'http://evil.example' }, { origin: 'null' }, { origin: 'http://127.0.0.1:1' }, { 'sec-fetch-site': 'cross-site' }]) {
        const result = await probeSocket(fx.product.url, doc, { cookie: fx.owner.cookie, ...headers });
        expect({ doc, headers, ...result }).toEqual({ doc, headers, code: CLOSE_CODES.forbiddenOrigin, reason: 'origin not allowed' });
      }
    }
  });

  it('from our own pages (and from non-browser clients, which send no Origin) are let in', async () => {
    const port = new URL(fx.product.url).port;
    for (const headers of <Array<Record<string, string>>>[{ origin: `http://127.0.0.1:${port}` }, { origin: `http://localhost:${port}` }, {}]) {
      expect((await probeSocket(fx.product.url, fx.roomId, { cookie: fx.owner.cookie, ...headers })).code).toBe('synced');
    }
  });
});
