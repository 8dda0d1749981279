import type { MixEngine } from '../audio/MixEngine.ts';
import type { LoopRange, Transport, TransportSnapshot } from './Transport.ts';

/**
 * The UI's transport over the audio engine: adds pause-vs-stop, a loop range that exists
 * while looping is off, the song duration, and change notifications. Before the engine is
 * ready (worklets loading) it keeps the position so the UI works at once.
 */
export class RoomTransport implements Transport {
  private engine: MixEngine | null = null;
  private loop: LoopRange | null = null;
  private loopEnabled = false;
  private duration = 0;
  private parkedAt = 0;
  private readonly listeners = new Set<(s: TransportSnapshot) => void>();
  private endTimer: ReturnType<typeof setInterval> | null = null;
  private disposeStatus: (() => void) | null = null;

  /** `unlock` resumes the AudioContext: called on every play, which is always a user gesture. */
  constructor(private readonly unlock: () => void = () => undefined) {}

  attach(engine: MixEngine): void {
    this.disposeStatus?.();
    this.engine = engine;
    // Buffering starts and ends are transport events too: the UI shows them, followers act on them.
    this.disposeStatus = engine.onPlaybackStatus(() => this.emit());
    engine.seek(this.parkedAt);
    engine.setLoop(this.loopEnabled ? this.loop : null);
    this.emit();
  }

  setDuration(seconds: number): void {
    if (seconds === this.duration) return;
    this.duration = seconds;
    this.emit();
  }

  /**
   * The song position, never past the end of the song when not looping: the engine's clock
   * runs on until the end watcher stops it, and the clock must not read 01:04.094 / 01:04.000.
   */
  position(): number {
    const raw = this.engine ? this.engine.position() : this.parkedAt;
    return !this.loopEnabled && this.duration > 0 ? Math.min(raw, this.duration) : raw;
  }

  snapshot(): TransportSnapshot {
    const status = this.engine?.playbackStatus();
    return {
      playing: this.engine?.playing ?? false,
      buffering: status?.buffering ?? false,
      waitingFor: status?.waitingFor ?? [],
      position: this.position(),
      loop: this.loop,
      loopEnabled: this.loopEnabled,
      duration: this.duration,
    };
  }

  play(): void {
    this.unlock();
    if (!this.engine || this.engine.playing) return;
    if (!this.loopEnabled && this.duration > 0 && this.engine.position() >= this.duration) this.engine.seek(0);
    this.engine.play();
    this.watchEnd();
    this.emit();
  }

  pause(): void {
    if (!this.engine?.playing) return;
    this.engine.stop();
    this.parkedAt = this.engine.position();
    this.emit();
  }

  stop(): void {
    this.engine?.stop();
    this.seek(this.loopEnabled && this.loop ? this.loop.start : 0);
  }

  seek(seconds: number): void {
    const t = Math.max(0, Number.isFinite(seconds) ? seconds : 0);
    this.parkedAt = t;
    this.engine?.seek(t);
    this.emit();
  }

  setLoop(range: LoopRange | null): void {
    this.loop = range && range.end > range.start ? { start: Math.max(0, range.start), end: range.end } : null;
    if (!this.loop) this.loopEnabled = false;
    this.engine?.setLoop(this.loopEnabled ? this.loop : null);
    this.emit();
  }

  setLoopEnabled(enabled: boolean): void {
    this.loopEnabled = enabled && this.loop !== null;
    this.engine?.setLoop(this.loopEnabled ? this.loop : null);
    this.emit();
  }

  onChange(listener: (s: TransportSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  destroy(): void {
    if (this.endTimer) clearInterval(this.endTimer);
    this.disposeStatus?.();
    this.listeners.clear();
  }

  /** Stops at the end of the song (sources just run out otherwise, leaving "playing" silence). */
  private watchEnd(): void {
    if (this.endTimer) return;
    this.endTimer = setInterval(() => {
      const e = this.engine;
      if (!e?.playing) {
        if (this.endTimer) clearInterval(this.endTimer);
        this.endTimer = null;
        return;
      }
      if (!this.loopEnabled && this.duration > 0 && e.position() >= this.duration) {
        e.stop();
        e.seek(this.duration);
        this.parkedAt = this.duration;
        this.emit();
      }
    }, 50);
  }

  private emit(): void {
    const s = this.snapshot();
    for (const l of this.listeners) l(s);
  }
}
