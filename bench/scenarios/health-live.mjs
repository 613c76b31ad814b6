// Liveness: no dependency checked, so this is the cost of the service's HTTP pipeline itself
// (hooks, access log, metrics, helmet, etag, global pipe/filter) over a bare Nest route.
export default {
  name: 'health-live',
  description:
    '`GET /health/live` — the whole request pipeline with a trivial handler, against bare NestJS (and bare Fastify).',
  target: 'service',
  request: { method: 'GET', path: '/health/live' },
  baseline: 'nest',
  compare: ['fastify'],
  targets: { minRatio: 0.85, maxP99Ratio: 1.5, maxNon2xx: 0 },
};
