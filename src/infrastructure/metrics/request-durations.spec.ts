import { describe, expect, it } from '@jest/globals';
import { Histogram, Registry } from 'prom-client';
import { RequestDurations } from './request-durations.js';

function histogramIn(registry: Registry) {
  return new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
}

const observations: [string, string, number, number][] = [];
for (let i = 0; i < 500; i++) {
  const route = ['/health/live', '/api/v1/products/:id', 'unmatched'][i % 3]!;
  const method = i % 7 === 0 ? 'POST' : 'GET';
  const status = [200, 404, 304, 500][i % 4]!;
  // Spans every bucket, both sides of each bound, bounds themselves and beyond the last.
  const seconds = [0.0004, 0.001, 0.0011, 0.003, 0.0099, 0.02, 0.05, 0.07, 0.3, 0.9, 2, 4.99, 5, 7][i % 14]!;
  observations.push([method, route, status, seconds]);
}

describe('RequestDurations', () => {
  it('exposes exactly what prom-client exposes for the same observations, also after a reset', async () => {
    const plainRegistry = new Registry();
    const plain = histogramIn(plainRegistry);
    const fastRegistry = new Registry();
    const fastHistogram = histogramIn(fastRegistry);
    const fast = new RequestDurations(fastHistogram);
    const feed = (slice: typeof observations) => {
      for (const [method, route, status, seconds] of slice) {
        plain.observe({ method, route, status }, seconds);
        fast.observe(method, route, status, seconds);
      }
    };
    feed(observations);
    expect(await fastRegistry.metrics()).toBe(await plainRegistry.metrics());
    expect(await fastRegistry.metrics()).toContain('status="404"');

    plain.reset();
    fastHistogram.reset();
    feed(observations.slice(0, 50));
    expect(await fastRegistry.metrics()).toBe(await plainRegistry.metrics());
  });
});
