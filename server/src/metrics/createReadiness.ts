/**
 * One dependency's check: resolves when it answers, rejects when it cannot. It gets a signal
 * that aborts once the readiness timeout passed (the check counts as failed then anyway).
 */
export type ReadinessProbe = (signal: AbortSignal) => Promise<void>;

/** A dependency that has not answered a readiness probe within this is down (Caddy waits 1 s). */
export const READINESS_TIMEOUT_MS = 750;
/** Readiness probes run at most this often, however often `/readyz` is asked. */
export const READINESS_MAX_AGE_MS = 500;

export interface ReadinessOptions {
  /** By name ('redis', 'auth-store'): what this node needs to serve. */
  readonly probes: Readonly<Record<string, ReadinessProbe>>;
  /** True once the node drains: not ready at once, without asking anyone. */
  readonly draining: () => boolean;
  /** A probe that has not answered after this long has failed. */
  readonly timeoutMs: number;
  /**
   * Results are reused this long, and concurrent checks share one round: `/readyz` is public,
   * so a flood of it must not become a flood of Redis and database round trips.
   */
  readonly maxAgeMs: number;
}

export interface Readiness {
  /** What is not ready: 'draining' and the names of failing probes; empty when ready. */
  failing(): Promise<readonly string[]>;
}

export function createReadiness(options: ReadinessOptions): Readiness {
  const names = Object.keys(options.probes);
  let last: { at: number; failing: readonly string[] } | null = null;
  let inFlight: Promise<readonly string[]> | null = null;

  const probeAll = async (): Promise<readonly string[]> => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error(`no answer within ${options.timeoutMs} ms`)), options.timeoutMs);
    const timedOut = new Promise<never>((_, reject) => controller.signal.addEventListener('abort', () => reject(controller.signal.reason as Error), { once: true }));
    timedOut.catch(() => undefined);
    try {
      const results = await Promise.allSettled(names.map((name) => Promise.race([options.probes[name]!(controller.signal), timedOut])));
      return names.filter((_, i) => results[i]!.status === 'rejected');
    } finally {
      clearTimeout(timer);
      controller.abort(new Error('readiness check over'));
    }
  };

  const dependencies = (): Promise<readonly string[]> => {
    if (last && performance.now() - last.at < options.maxAgeMs) return Promise.resolve(last.failing);
    inFlight ??= probeAll()
      .then((failing) => {
        last = { at: performance.now(), failing };
        return failing;
      })
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  };

  return {
    async failing() {
      if (options.draining()) return ['draining'];
      if (names.length === 0) return [];
      const failing = await dependencies();
      // (it may have started draining while the probes ran)
      return options.draining() ? ['draining', ...failing] : failing;
    },
  };
}
