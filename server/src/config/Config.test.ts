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
      roomHibernateMs: 300_000,
      compactLogBytes: 1024 * 1024,
      pingIntervalMs: 30_000,
      maxSocketBufferBytes: 64 * 1024 * 1024,
      syncDeflate: true,
      syncWritePacing: false,
      syncDirectFrames: true,
      syncShards: 1,
      maxBodyBytes: 64 * 1024,
      logLevel: 'info',
      tls: null,
      drainDelayMs: 0,
      metricsToken: null,
      mp3Encoder: 'auto',
      flacEncoder: 'auto',
      mp3MeterDecoder: 'auto',
    });
  });

  it('takes MP3_ENCODER as auto, native or wasm only', () => {
    expect(parseConfig({ MP3_ENCODER: 'native' }).mp3Encoder).toBe('native');
    expect(parseConfig({ MP3_ENCODER: 'wasm' }).mp3Encoder).toBe('wasm');
    expect(() => parseConfig({ MP3_ENCODER: 'ffmpeg' })).toThrow(/MP3_ENCODER/);
  });

  it('takes FLAC_ENCODER as auto, native or wasm only', () => {
    expect(parseConfig({ FLAC_ENCODER: 'native' }).flacEncoder).toBe('native');
    expect(parseConfig({ FLAC_ENCODER: 'wasm' }).flacEncoder).toBe('wasm');
    expect(() => parseConfig({ FLAC_ENCODER: 'sox' })).toThrow(/FLAC_ENCODER/);
    expect(parseConfig({ MP3_METER_DECODER: 'wasm' }).mp3MeterDecoder).toBe('wasm');
    expect(() => parseConfig({ MP3_METER_DECODER: 'ffmpeg' })).toThrow(/MP3_METER_DECODER/);
  });

  // A path would mean serving under a prefix, which the app does not do: refused, not cut off.
  it('takes PUBLIC_URL as an origin only (no path) and TLS files as a pair', () => {
    expect(parseConfig({ PUBLIC_URL: 'https://Mix.Example.com/' }).publicUrl).toBe('https://mix.example.com');
    expect(parseConfig({ PUBLIC_URL: 'http://localhost:8787' }).publicUrl).toBe('http://localhost:8787');
    for (const bad of ['mix.example.com', 'ftp://mix.example.com', 'https://mix.example.com/app', 'https://u:p@mix.example.com', 'https://mix.example.com/?x=1']) {
      expect(() => parseConfig({ PUBLIC_URL: bad }), bad).toThrow(/PUBLIC_URL/);
    }
    expect(parseConfig({ TLS_CERT_FILE: 'c.pem', TLS_KEY_FILE: 'k.pem' }).tls).toEqual({ certFile: 'c.pem', keyFile: 'k.pem' });
    expect(() => parseConfig({ TLS_CERT_FILE: 'c.pem' })).toThrow(/TLS_CERT_FILE and TLS_KEY_FILE go together/);
  });

  it('accepts port 0, treats empty strings as unset and coerces numbers', () => {
    const config = parseConfig({ PORT: '0', HOST: '', MAX_MESSAGE_BYTES: '65536', UNRELATED: 'x' });
    expect(config.port).toBe(0);
    expect(config.host).toBe('127.0.0.1');
    expect(config.maxMessageBytes).toBe(65536);
  });

  it('takes SYNC_SHARDS from 1 to 64', () => {
    expect(parseConfig({ SYNC_SHARDS: '4' }).syncShards).toBe(4);
    for (const bad of ['0', '65', '1.5', 'two']) expect(() => parseConfig({ SYNC_SHARDS: bad }), bad).toThrow(/SYNC_SHARDS/);
  });

  it('takes SYNC_WRITE_PACING as on or off', () => {
    expect(parseConfig({ SYNC_WRITE_PACING: 'on' }).syncWritePacing).toBe(true);
    expect(() => parseConfig({ SYNC_WRITE_PACING: 'maybe' })).toThrow(/SYNC_WRITE_PACING/);
  });

  it('takes SYNC_DIRECT_FRAMES as on (default) or off', () => {
    expect(parseConfig({}).syncDirectFrames).toBe(true);
    expect(parseConfig({ SYNC_DIRECT_FRAMES: 'off' }).syncDirectFrames).toBe(false);
    expect(() => parseConfig({ SYNC_DIRECT_FRAMES: 'maybe' })).toThrow(/SYNC_DIRECT_FRAMES/);
  });

  it('reports every invalid variable at once', () => {
    expect(() => parseConfig({ PORT: '70000', ROOM_IDLE_UNLOAD_MS: '-1', LOG_LEVEL: 'loud' })).toThrow(ConfigError);
    expect(() => parseConfig({ PORT: 'abc', LOG_LEVEL: 'loud' })).toThrow(/PORT.*LOG_LEVEL/);
  });
});
