import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './Config.ts';

describe('parseConfig', () => {
  it('fills documented defaults', () => {
    expect(parseConfig({})).toEqual({
      port: 8787,
      host: '127.0.0.1',
      publicUrl: null,
      dataDir: './.data',
      clientDistDir: null,
      maxMessageBytes: 8 * 1024 * 1024,
      roomIdleUnloadMs: 30_000,
      compactLogBytes: 1024 * 1024,
      pingIntervalMs: 30_000,
      maxSocketBufferBytes: 64 * 1024 * 1024,
      maxBodyBytes: 64 * 1024,
      logLevel: 'info',
    });
  });

  it('accepts port 0, treats empty strings as unset and coerces numbers', () => {
    const config = parseConfig({ PORT: '0', HOST: '', MAX_MESSAGE_BYTES: '65536', UNRELATED: 'x' });
    expect(config.port).toBe(0);
    expect(config.host).toBe('127.0.0.1');
    expect(config.maxMessageBytes).toBe(65536);
  });

  it('keeps only the origin of PUBLIC_URL and refuses a non-http one', () => {
    expect(parseConfig({ PUBLIC_URL: 'https://mix.example.com/some/path' }).publicUrl).toBe('https://mix.example.com');
    expect(() => parseConfig({ PUBLIC_URL: 'ftp://mix.example.com' })).toThrow(/PUBLIC_URL/);
  });

  it('reports every invalid variable at once', () => {
    expect(() => parseConfig({ PORT: '70000', ROOM_IDLE_UNLOAD_MS: '-1', LOG_LEVEL: 'loud' })).toThrow(ConfigError);
    expect(() => parseConfig({ PORT: 'abc', LOG_LEVEL: 'loud' })).toThrow(/PORT.*LOG_LEVEL/);
  });
});
