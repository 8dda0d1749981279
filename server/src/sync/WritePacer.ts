import { performance } from 'node:perf_hooks';

export interface WritePacerOptions {
  /** The gap at and above `fullAt` utilization, ms. */
  readonly maxGapMs: number;
  /** Event loop utilization (0..1) up to which sockets are written at once (no gap). */
  readonly idleBelow: number;
  /** Utilization at which the gap reaches `maxGapMs`; between the two it grows linearly. */
  readonly fullAt: number;
  /** Weight of a new sample in the smoothed utilization (1 = no smoothing). */
  readonly smoothing: number;
}

/**
 * How long a socket waits after one write before the next (see SocketOutbox), by how busy the
 * event loop is. A write to a loopback or LAN socket costs 10-30 µs of kernel time however
 * little it carries, and a loaded node spent a third of its CPU in `writev`: each socket of a
 * room of 10 is written on every relay (90 updates a second) and every presence tick (60). An
 * idle node writes at once (no added latency); a busy one waits up to `maxGapMs` after a
 * socket's last write, so what arrives meanwhile goes out in the same write: fewer writes,
 * more CPU for relays, a later knee. Like Nagle's algorithm, but paced by load, not by ACKs.
 */
export class WritePacer {
  private utilization = 0;
  private gap = 0;

  constructor(private readonly options: WritePacerOptions) {}

  /** Takes one utilization sample (0..1) of the last interval. */
  observe(sample: number): void {
    const { maxGapMs, idleBelow, fullAt, smoothing } = this.options;
    const clamped = Math.min(1, Math.max(0, Number.isFinite(sample) ? sample : 0));
    this.utilization += smoothing * (clamped - this.utilization);
    const busy = (this.utilization - idleBelow) / (fullAt - idleBelow);
    this.gap = maxGapMs * Math.min(1, Math.max(0, busy));
  }

  /** The current gap, ms (0 when idle). */
  get gapMs(): number {
    return this.gap;
  }
}

/** Tuned on `pnpm bench sync` (rooms of 10; see docs/decisions.md). */
export const DEFAULT_WRITE_PACING: WritePacerOptions = Object.freeze({
  maxGapMs: 16,
  idleBelow: 0.3,
  fullAt: 0.8,
  smoothing: 0.5,
});

/** Every socket written every turn (SYNC_WRITE_PACING=off). */
export const NO_PACING: { readonly gapMs: number } = Object.freeze({ gapMs: 0 });

/** How often the process-wide pacer samples the event loop. */
const SAMPLE_MS = 100;

let processPacer: WritePacer | null = null;

/**
 * The process's pacer, fed by `performance.eventLoopUtilization` every SAMPLE_MS from its
 * first use on (the sampler does not keep the process alive).
 */
export function processWritePacer(): WritePacer {
  if (processPacer) return processPacer;
  const pacer = new WritePacer(DEFAULT_WRITE_PACING);
  let last = performance.eventLoopUtilization();
  setInterval(() => {
    const now = performance.eventLoopUtilization();
    pacer.observe(performance.eventLoopUtilization(now, last).utilization);
    last = now;
  }, SAMPLE_MS).unref();
  processPacer = pacer;
  return pacer;
}
