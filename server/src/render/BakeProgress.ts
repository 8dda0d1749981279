import type { BakePhase } from '@mixroom/shared/review';
import type { BakeFormat } from './BakeFormat.ts';

/** What the room shows while a bake runs. */
export interface BakeProgress {
  phase: BakePhase;
  /** 0..100 over the whole bake: rendering 0-90, encoding what is left 90-95, storing 95-100. */
  percent: number;
  framesDone: number;
  framesTotal: number;
  /** Seconds left for the whole bake, from the speed so far; null until there is a speed to go by. */
  etaSeconds: number | null;
  /** Audio seconds rendered per wall-clock second so far. */
  xRealtime: number;
  /** Encoding: formats not finished yet; storing: files not stored yet. */
  pending: BakeFormat[];
  /** Encoding: the MP3's pass when it is encoded again under its ceiling (2, 3, ...). */
  mp3Pass: number | null;
}

const RENDER_END = 90;
const ENCODE_END = 95;

/**
 * Turns a bake's events into throttled progress reports (at most every `intervalMs`, always
 * on a phase change and at 100 %) so a fast bake does not flood the room with messages.
 * ETAs come from measured speeds: the render's frames per second, the same speed for an MP3
 * pass (it encodes the whole master again), the upload's bytes per second. Clock injected.
 */
export class BakeProgressTracker {
  private readonly started: number;
  private last = -Infinity;
  private lastPhase: BakePhase | null = null;
  private framesDone = 0;
  private renderSeconds = 0;
  private phase: BakePhase = 'starting';
  private pending: BakeFormat[] = [];
  private mp3Pass: number | null = null;
  private passStarted = 0;
  private store = { done: 0, total: 0, started: 0 };

  constructor(
    private readonly framesTotal: number,
    private readonly sampleRate: number,
    private readonly onProgress: ((p: BakeProgress) => void) | undefined,
    private readonly now: () => number = () => performance.now(),
    private readonly intervalMs = 250,
  ) {
    this.started = now();
  }

  /** Reports the start (stems opening, threads booting). */
  start(): void {
    this.emit(0, null, true);
  }

  /** Frames rendered so far. */
  frames(done: number): void {
    this.phase = 'rendering';
    this.framesDone = done;
    this.renderSeconds = (this.now() - this.started) / 1000;
    const rate = this.renderRate();
    this.emit((RENDER_END * done) / Math.max(1, this.framesTotal), rate > 0 ? (this.framesTotal - done) / rate : null);
  }

  /** After the render: the formats still encoding, and the MP3's pass when it is encoded again. */
  encoding(pending: readonly BakeFormat[], mp3Pass: number | null): void {
    if (mp3Pass !== this.mp3Pass) this.passStarted = this.now();
    this.phase = 'encoding';
    this.pending = [...pending];
    this.mp3Pass = mp3Pass;
    const rate = this.renderRate();
    const passLeft = mp3Pass !== null && rate > 0 ? Math.max(0, this.framesTotal / rate - (this.now() - this.passStarted) / 1000) : null;
    this.emit(RENDER_END + (mp3Pass !== null ? Math.min(4, mp3Pass - 1) : 0), passLeft ?? (pending.length > 0 ? null : 0));
  }

  /** Storing: bytes uploaded of the total, and the files not stored yet. */
  storing(doneBytes: number, totalBytes: number, pending: readonly BakeFormat[]): void {
    if (this.phase !== 'storing') this.store = { done: 0, total: totalBytes, started: this.now() };
    this.phase = 'storing';
    this.pending = [...pending];
    this.mp3Pass = null;
    this.store.done = doneBytes;
    const seconds = (this.now() - this.store.started) / 1000;
    const rate = seconds > 0 ? doneBytes / seconds : 0;
    this.emit(ENCODE_END + ((100 - ENCODE_END) * doneBytes) / Math.max(1, totalBytes) * 0.999, rate > 0 ? (totalBytes - doneBytes) / rate : null);
  }

  /** Everything stored: 100 %, once. */
  done(): void {
    this.pending = [];
    this.emit(100, 0, true);
  }

  private renderRate(): number {
    return this.renderSeconds > 0 ? this.framesDone / this.renderSeconds : 0;
  }

  private emit(percent: number, etaSeconds: number | null, force = false): void {
    if (!this.onProgress) return;
    const t = this.now();
    const changed = this.phase !== this.lastPhase;
    if (!force && !changed && t - this.last < this.intervalMs) return;
    this.last = t;
    this.lastPhase = this.phase;
    const elapsed = (t - this.started) / 1000;
    this.onProgress({
      phase: this.phase,
      percent: Math.min(100, percent),
      framesDone: this.framesDone,
      framesTotal: this.framesTotal,
      etaSeconds,
      xRealtime: elapsed > 0 ? this.framesDone / this.sampleRate / elapsed : 0,
      pending: this.pending,
      mp3Pass: this.mp3Pass,
    });
  }
}
