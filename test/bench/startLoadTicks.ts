/**
 * Milliseconds of the machine's monotonic clock (CLOCK_MONOTONIC, the same in every process),
 * sub-millisecond. Not `performance.timeOrigin + now()`: a process descheduled while it starts
 * gets a timeOrigin off by milliseconds (7 ms seen at load 15).
 */
export const epochNow = (): number => Number(process.hrtime.bigint()) / 1e6;

/** One client of the sync bench's load, full or light. */
export interface LoadClient {
  /** Its place among all the bench's clients (spreads its phase over the period). */
  readonly index: number;
  /** Commits its fader, stamped `at` (epochNow ms). */
  commit(at: number, value: number): void;
  /** Moves its presence. */
  movePresence(at: number): void;
}

/**
 * Drives `clients` at the bench's rates: every client commits at `rateHz` and moves its
 * presence at `awarenessHz`, phases spread over the period by global index so that clients in
 * several processes together load the server evenly. Calls `onCommit(at)` per commit; returns
 * the stop function.
 */
export function startLoadTicks(
  clients: readonly LoadClient[],
  options: {
    readonly totalClients: number;
    readonly rateHz: number;
    readonly awarenessHz: number;
    readonly onCommit: (client: LoadClient, at: number) => void;
    /** The clock commits are stamped with (default {@link epochNow}). */
    readonly now?: () => number;
  },
): () => void {
  const { totalClients, rateHz, awarenessHz, onCommit } = options;
  const stamp = options.now ?? epochNow;
  const periodMs = 1000 / rateHz;
  const awarenessPeriodMs = awarenessHz > 0 ? 1000 / awarenessHz : Infinity;
  let tick = 0;
  const lastSlot = new Array<number>(clients.length).fill(-1);
  const lastAwarenessSlot = new Array<number>(clients.length).fill(-1);
  const timer = setInterval(() => {
    tick += 1;
    const now = epochNow();
    for (const [k, client] of clients.entries()) {
      const awarenessSlot = Math.floor((now + (client.index * awarenessPeriodMs) / totalClients) / awarenessPeriodMs);
      if (lastAwarenessSlot[k] !== awarenessSlot) {
        lastAwarenessSlot[k] = awarenessSlot;
        client.movePresence(now / 1000);
      }
      const slot = Math.floor((now + (client.index * periodMs) / totalClients) / periodMs);
      if (lastSlot[k] === slot) continue;
      lastSlot[k] = slot;
      const at = stamp();
      client.commit(at, -((tick % 600) / 10));
      onCommit(client, at);
    }
  }, 5);
  return () => clearInterval(timer);
}
