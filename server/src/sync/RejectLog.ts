import type { Logger } from '../log/Logger.ts';

/** One refused or closed sync socket. */
export interface Reject {
  readonly roomId: string;
  readonly code: number;
  readonly detail?: string | undefined;
}

export interface RejectLogOptions {
  readonly logger: Logger;
  /** Length of one summary window. */
  readonly windowMs: number;
  /** Rejects logged line by line at the start of each window; the rest are only counted. */
  readonly detailedPerWindow: number;
  readonly setTimeout?: (fn: () => void, ms: number) => { unref?(): void };
  readonly clearTimeout?: (handle: unknown) => void;
}

/** The server's window: at most REJECT_DETAILED_PER_WINDOW + 1 lines per 10 s, however many are refused. */
export const REJECT_WINDOW_MS = 10_000;
export const REJECT_DETAILED_PER_WINDOW = 5;

/** Rooms named in a summary line, by count; more would let an attacker make lines huge. */
const TOP_ROOMS = 5;

/**
 * Logs refused sync sockets without letting an abuse run flood the log (one run of a fuzzer
 * wrote 93,746 warning lines). The first few rejects of a window are logged in full, as
 * `closing sync connection` with their detail; the rest are counted by close code and room and
 * written as one `sync connections refused` summary line when the window ends.
 */
export class RejectLog {
  private logged = 0;
  private suppressed = 0;
  private readonly byCode = new Map<number, number>();
  private readonly byRoom = new Map<string, number>();
  private timer: unknown = null;
  private readonly setTimer: NonNullable<RejectLogOptions['setTimeout']>;
  private readonly clearTimer: NonNullable<RejectLogOptions['clearTimeout']>;

  constructor(private readonly options: RejectLogOptions) {
    this.setTimer = options.setTimeout ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimeout ?? ((h) => clearTimeout(h as NodeJS.Timeout));
  }

  record(reject: Reject): void {
    if (this.timer === null) {
      const timer = this.setTimer(() => this.endWindow(), this.options.windowMs);
      timer.unref?.();
      this.timer = timer;
    }
    if (this.logged < this.options.detailedPerWindow) {
      this.logged += 1;
      this.options.logger.warn('closing sync connection', { roomId: reject.roomId, code: reject.code, detail: reject.detail });
      return;
    }
    this.suppressed += 1;
    this.byCode.set(reject.code, (this.byCode.get(reject.code) ?? 0) + 1);
    this.byRoom.set(reject.roomId, (this.byRoom.get(reject.roomId) ?? 0) + 1);
  }

  /** Writes the pending summary (if any) and stops the timer. */
  dispose(): void {
    if (this.timer !== null) this.clearTimer(this.timer);
    this.endWindow();
  }

  private endWindow(): void {
    this.timer = null;
    if (this.suppressed > 0) {
      const rooms = [...this.byRoom].sort((a, b) => b[1] - a[1]);
      this.options.logger.warn('sync connections refused', {
        windowMs: this.options.windowMs,
        logged: this.logged,
        suppressed: this.suppressed,
        byCode: Object.fromEntries(this.byCode),
        topRooms: Object.fromEntries(rooms.slice(0, TOP_ROOMS)),
        otherRooms: Math.max(0, rooms.length - TOP_ROOMS),
      });
    }
    this.logged = 0;
    this.suppressed = 0;
    this.byCode.clear();
    this.byRoom.clear();
  }
}
