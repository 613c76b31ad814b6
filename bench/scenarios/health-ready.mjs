// Readiness: a `SELECT 1` on MySQL and a Redis PING per request, on top of the pipeline.
export default {
  name: 'health-ready',
  description:
    '`GET /health/ready` — pipeline plus one MySQL `SELECT 1` and one Redis `PING`, against bare NestJS (and bare Fastify). No target: reported for reference.',
  target: 'service',
  request: { method: 'GET', path: '/health/ready' },
  baseline: 'nest',
  compare: ['fastify'],
};
