import { describe, expect, it } from 'vitest';
import { clientIp } from './clientIp.ts';
import { parseLimitSettings } from './LimitSettings.ts';

describe('parseLimitSettings', () => {
  it('has documented defaults and reads count/window pairs', () => {
    const d = parseLimitSettings({});
    expect(d.rates.createRoom).toEqual({ perUser: { points: 20, windowMs: 3_600_000 }, perIp: { points: 60, windowMs: 3_600_000 } });
    expect(d).toMatchObject({ maxSocketsPerUser: 16, maxQueuedBakes: 24, maxQueuedBakesPerRoom: 4, trustProxyHops: 0, maxRoomBytes: 64 * 2 ** 20 });
    expect(parseLimitSettings({ MAX_ROOM_BYTES: '1048576' }).maxRoomBytes).toBe(1_048_576);
    const s = parseLimitSettings({ RATE_JOINS: '5/30s, 10/2m', TRUST_PROXY: '2' });
    expect(s.rates.join).toEqual({ perUser: { points: 5, windowMs: 30_000 }, perIp: { points: 10, windowMs: 120_000 } });
    expect(s.trustProxyHops).toBe(2);
  });

  it('refuses malformed rates and counts', () => {
    expect(() => parseLimitSettings({ RATE_ROOMS: '20' })).toThrow(/RATE_ROOMS/);
    expect(() => parseLimitSettings({ RATE_ROOMS: '20/1h' })).toThrow(/per user and per IP/);
    expect(() => parseLimitSettings({ RATE_BAKES: '0/1h,1/1h' })).toThrow(/RATE_BAKES/);
    expect(() => parseLimitSettings({ MAX_SOCKETS_PER_USER: 'many' })).toThrow(/MAX_SOCKETS_PER_USER/);
    expect(() => parseLimitSettings({ MAX_ROOM_BYTES: '1000' })).toThrow(/MAX_ROOM_BYTES/);
  });
});

describe('clientIp', () => {
  it('ignores X-Forwarded-For unless proxies are trusted, then takes the entry the outermost one saw', () => {
    expect(clientIp('127.0.0.1', '6.6.6.6', 0)).toBe('127.0.0.1');
    expect(clientIp('127.0.0.1', '6.6.6.6, 203.0.113.5', 1)).toBe('203.0.113.5');
    expect(clientIp('127.0.0.1', '6.6.6.6, 203.0.113.5, 10.0.0.2', 2)).toBe('203.0.113.5');
    expect(clientIp('127.0.0.1', '203.0.113.5', 3)).toBe('203.0.113.5');
    expect(clientIp('::ffff:192.0.2.1', null, 0)).toBe('192.0.2.1');
  });

  it('counts IPv6 per /64', () => {
    expect(clientIp('2001:db8:1:2:aaaa::1', null, 0)).toBe('2001:db8:1:2::/64');
    expect(clientIp('2001:db8:1:2:bbbb:cccc:dddd:eeee', null, 0)).toBe('2001:db8:1:2::/64');
    expect(clientIp('2001:db8::1', null, 0)).toBe('2001:db8:0:0::/64');
    expect(clientIp('::1', null, 0)).toBe('0:0:0:0::/64');
  });
});
