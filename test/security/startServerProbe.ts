/** What a probe saw while an attack ran. */
export interface ProbeReport {
  /** `/healthz` round trips completed. */
  readonly count: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Resident set size of this process (the server runs in it) when the probe started, MB. */
  readonly rssBaseMb: number;
  /** Highest resident set size sampled while it ran, MB. */
  readonly rssPeakMb: number;
}

/**
 * Measures a running server the way an operator's monitor would while a test attacks it:
 * `/healthz` back to back (each round trip timed, so a blocked event loop shows as a long
 * one) and this process's RSS every few milliseconds. `stop` ends it and reports.
 */
export function startServerProbe(baseUrl: string, options: { rssEveryMs?: number } = {}): { stop(): Promise<ProbeReport> } {
  const rssBaseMb = process.memoryUsage.rss() / 2 ** 20;
  let rssPeakMb = rssBaseMb;
  const sampler = setInterval(() => {
    rssPeakMb = Math.max(rssPeakMb, process.memoryUsage.rss() / 2 ** 20);
  }, options.rssEveryMs ?? 5);
  const times: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const start = performance.now();
      const res = await fetch(`${baseUrl}/healthz`);
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`/healthz answered ${res.status}`);
      times.push(performance.now() - start);
      rssPeakMb = Math.max(rssPeakMb, process.memoryUsage.rss() / 2 ** 20);
      await new Promise((r) => setTimeout(r, 2));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      clearInterval(sampler);
      const sorted = [...times].sort((a, b) => a - b);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
      return { count: sorted.length, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: sorted.at(-1) ?? Number.NaN, rssBaseMb, rssPeakMb };
    },
  };
}

/** One line for a test's output: the numbers a commit message and a report quote. */
export function formatProbe(label: string, r: ProbeReport): string {
  return (
    `${label}: /healthz ${r.count} probes, p50 ${r.p50Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms, max ${r.maxMs.toFixed(1)} ms; ` +
    `RSS ${r.rssBaseMb.toFixed(0)} -> peak ${r.rssPeakMb.toFixed(0)} MB (+${(r.rssPeakMb - r.rssBaseMb).toFixed(0)})`
  );
}
