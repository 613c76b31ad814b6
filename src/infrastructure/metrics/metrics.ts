import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * One registry per process. Several Nest apps in one process (tests) share it, which is why the
 * metrics live here rather than in a provider that would register them twice.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, eventLoopMonitoringPrecision: 10 });

export const httpDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request duration by method, route template and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [metricsRegistry],
});

export const dbQueryDuration = new Histogram({
  name: 'db_query_duration_seconds',
  help: 'SQL statement duration by outcome',
  labelNames: ['outcome'] as const,
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
  registers: [metricsRegistry],
});

export const cacheEvents = new Counter({
  name: 'cache_events_total',
  help: 'Cache lookups by result: hit, miss, error (an error is served as a miss)',
  labelNames: ['result'] as const,
  registers: [metricsRegistry],
});

export const webhookAttempts = new Counter({
  name: 'webhook_attempts_total',
  help: 'Webhook delivery attempts by outcome: delivered, retry (failed, will be retried), failed (given up)',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

export interface PoolStats {
  /** Connections open (busy + idle). */
  open: number;
  idle: number;
  /** Requests waiting for a connection. */
  waiting: number;
}

const pools = new Set<() => PoolStats>();

/** Reports a connection pool in db_pool_connections until the returned function is called. */
export function observePool(stats: () => PoolStats): () => void {
  pools.add(stats);
  return () => pools.delete(stats);
}

new Gauge({
  name: 'db_pool_connections',
  help: 'MySQL connection pool: connections open, idle, and requests waiting for a connection',
  labelNames: ['state'] as const,
  registers: [metricsRegistry],
  collect() {
    const total: PoolStats = { open: 0, idle: 0, waiting: 0 };
    for (const stats of pools) {
      const s = stats();
      total.open += s.open;
      total.idle += s.idle;
      total.waiting += s.waiting;
    }
    for (const state of ['open', 'idle', 'waiting'] as const) this.set({ state }, total[state]);
  },
});
