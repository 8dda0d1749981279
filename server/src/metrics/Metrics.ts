import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Where the gauges read from when Prometheus scrapes (set once the parts exist). */
export interface MetricSources {
  /** Rooms in memory on this node (mix and review documents). */
  roomsLoaded?: () => number;
  /** Of those, the ones holding no Y.Doc (hibernating under quiet sockets). */
  roomsHibernating?: () => number;
  /** Open sync sockets on this node. */
  sockets?: () => number;
  /** Bakes waiting and running (the whole deployment's queue in cluster mode). */
  bakeQueue?: () => Promise<{ waiting: number; running: number }>;
}

/**
 * This process's Prometheus metrics (prom-client), on a registry of its own so several nodes
 * can run in one test process. Counters and histograms are fed by the parts that see the
 * events (injected callbacks); gauges are read at scrape time from {@link MetricSources}.
 */
export interface Metrics {
  readonly registry: Registry;
  /** Time from an update reaching the server to its relay to the other sockets (after it is durable). */
  readonly relaySeconds: Histogram<never>;
  /** Time a hibernating room took to rebuild its doc (and rerun its open hooks) on an edit. */
  readonly wakeSeconds: Histogram<never>;
  /** Wall time of bakes by outcome. */
  readonly bakeSeconds: Histogram<'outcome'>;
  readonly redisErrors: Counter<'role'>;
  readonly s3Errors: Counter<'operation' | 'code'>;
  readonly sources: MetricSources;
}

export function createMetrics(labels: Record<string, string> = {}): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels(labels);
  // Process CPU, memory, event-loop lag, GC: what limits a node first.
  collectDefaultMetrics({ register: registry, prefix: 'mixroom_' });
  const sources: MetricSources = {};

  new Gauge({
    name: 'mixroom_rooms_loaded',
    help: 'Room documents held in memory on this node',
    registers: [registry],
    collect() {
      if (sources.roomsLoaded) this.set(sources.roomsLoaded());
    },
  });
  new Gauge({
    name: 'mixroom_rooms_hibernating',
    help: 'Loaded rooms holding no document in memory (quiet, sockets still open)',
    registers: [registry],
    collect() {
      if (sources.roomsHibernating) this.set(sources.roomsHibernating());
    },
  });
  new Gauge({
    name: 'mixroom_sync_sockets',
    help: 'Open sync WebSockets on this node',
    registers: [registry],
    collect() {
      if (sources.sockets) this.set(sources.sockets());
    },
  });
  new Gauge({
    name: 'mixroom_bake_queue_depth',
    help: 'Bakes waiting and running',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      if (!sources.bakeQueue) return;
      const depth = await sources.bakeQueue().catch(() => null);
      if (!depth) return;
      this.set({ state: 'waiting' }, depth.waiting);
      this.set({ state: 'running' }, depth.running);
    },
  });
  return {
    registry,
    sources,
    relaySeconds: new Histogram({
      name: 'mixroom_relay_seconds',
      help: 'From an update reaching the server to its relay to the room (durable first)',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    wakeSeconds: new Histogram({
      name: 'mixroom_room_wake_seconds',
      help: 'Rebuilding a hibernating room document on its first change',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5],
      registers: [registry],
    }),
    bakeSeconds: new Histogram({
      name: 'mixroom_bake_seconds',
      help: 'Wall time of bakes, by outcome',
      labelNames: ['outcome'],
      buckets: [1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600],
      registers: [registry],
    }),
    redisErrors: new Counter({ name: 'mixroom_redis_errors_total', help: 'Redis connection and command errors', labelNames: ['role'], registers: [registry] }),
    s3Errors: new Counter({ name: 'mixroom_s3_errors_total', help: 'Failed S3 requests (after the SDK retries)', labelNames: ['operation', 'code'], registers: [registry] }),
  };
}
