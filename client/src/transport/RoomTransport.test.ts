import { describe, expect, it } from 'vitest';
import type { MixEngine } from '../audio/MixEngine.ts';
import { RoomTransport } from './RoomTransport.ts';

/**
 * The engine's clock as the transport sees it: a position that advances with a test clock
 * while playing. Only the transport's own rules are under test here (the engine's audio is
 * measured in the browser tests).
 */
function clockEngine() {
  let at = 0;
  let startedAt: number | null = null;
  let now = 0;
  const engine = {
    get playing() {
      return startedAt !== null;
    },
    play() {
      startedAt = now;
      return 0;
    },
    stop() {
      if (startedAt !== null) at += now - startedAt;
      startedAt = null;
    },
    seek(t: number) {
      at = t;
      if (startedAt !== null) startedAt = now;
    },
    setLoop() {},
    position: () => at + (startedAt === null ? 0 : now - startedAt),
    // Never buffering: this clock has all its audio.
    playbackStatus: () => ({ buffering: false, waitingFor: [] }),
    onPlaybackStatus: () => () => undefined,
  };
  return { engine: engine as unknown as MixEngine, advance: (s: number) => (now += s) };
}

describe('RoomTransport', () => {
  it('never reports a position past the end of the song, and parks at the end', async () => {
    const { engine, advance } = clockEngine();
    const t = new RoomTransport();
    t.attach(engine);
    t.setDuration(64);
    t.seek(63.9);
    t.play();
    advance(0.194); // the engine's clock is 94 ms past the end
    expect(engine.position()).toBeCloseTo(64.094, 6);
    expect(t.position()).toBe(64);
    expect(t.snapshot().position).toBe(64);
    // The end watcher stops playback and leaves the playhead on the last frame.
    await new Promise((r) => setTimeout(r, 120));
    expect(t.snapshot().playing).toBe(false);
    expect(t.position()).toBe(64);
    t.destroy();
  });

  it('lets a loop run on past the song end (a loop range may end after the last stem)', () => {
    const { engine, advance } = clockEngine();
    const t = new RoomTransport();
    t.attach(engine);
    t.setDuration(10);
    t.setLoop({ start: 9, end: 11 });
    t.setLoopEnabled(true);
    t.seek(9.5);
    t.play();
    advance(1);
    expect(t.position()).toBeCloseTo(10.5, 6);
    t.destroy();
  });
});
