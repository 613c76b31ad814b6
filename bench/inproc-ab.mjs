// In-process A/B of whole pipelines: several apps built in ONE process, requests through fastify.inject
// (no sockets, no load generator), alternating small batches between the apps so machine noise hits
// all of them alike; reports each app's median CPU µs per request and its median per-batch ratio to
// the first app. For comparing variants of the service's own pipeline on a busy machine (bench/README.md).
// Usage: npm run build && node bench/inproc-ab.mjs [path] [batches]   (MySQL + Redis as for npm run bench)
import 'reflect-metadata';
import { openSync } from 'node:fs';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { pino } from 'pino';
import { dist } from './lib/measurement.mjs';
import { median } from './lib/stats.mjs';

const path = process.argv[2] ?? '/health/live';
const BATCHES = Number(process.argv[3] ?? 40);
const BATCH = 500;
const CONCURRENCY = 32;

const [{ createApp }, { loadConfig }, { ensureDatabase }] = await Promise.all([
  dist('src/bootstrap.js'),
  dist('src/config/app-config.js'),
  dist('src/infrastructure/database/prepare-database.js'),
]);
const config = loadConfig({
  NODE_ENV: 'production',
  DATABASE_URL: process.env.BENCH_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/mainspring_bench_inproc',
  REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/9',
  REDIS_KEY_PREFIX: 'bench-inproc:',
  JWT_SECRET: 'bench-only-secret-not-for-production-0123456789',
  JOBS_ENABLED: 'false',
  RATE_LIMIT_PER_MINUTE: '10000000',
});
await ensureDatabase(config);
const logFile = openSync(process.env.LOG_FILE ?? '/dev/null', 'a');
const logger = (sync) =>
  pino({ level: 'info', base: { service: 'mainspring' } }, pino.destination({ dest: logFile, sync, minLength: 4096 }));

class Bare {
  status() {
    return { status: 'ok' };
  }
}
Controller()(Bare);
Get(path)(Bare.prototype, 'status', Object.getOwnPropertyDescriptor(Bare.prototype, 'status'));
class BareModule {}
Module({ controllers: [Bare] })(BareModule);

const variants = [];
async function add(name, app) {
  await app.init();
  const fastify = app.getHttpAdapter().getInstance();
  await fastify.ready();
  variants.push({ name, app, fastify, cpu: [] });
}
await add('bare NestJS', await NestFactory.create(BareModule, new FastifyAdapter(), { logger: false }));
await add('service (as shipped)', await createApp(config, logger(true)));
await add('service, async log writes', await createApp(config, logger(false)));
await add('service, access log off', await createApp(config, pino({ level: 'warn' })));
// The same route through Nest's router: the direct-route mark removed before this app registers its routes.
const { HealthController } = await dist('src/modules/operations/health.controller.js');
const { ProductsController } = await dist('src/modules/inventory/controllers/products.controller.js');
for (const handler of [HealthController.prototype.live, ProductsController.prototype.get]) {
  Reflect.deleteMetadata('http:serve-direct', handler);
}
await add('service via Nest router', await createApp(config, logger(true)));

const run = async (fastify, count) => {
  for (let sent = 0; sent < count; sent += CONCURRENCY) {
    await Promise.all(Array.from({ length: CONCURRENCY }, () => fastify.inject({ method: 'GET', url: path })));
  }
};
for (const v of variants) {
  const res = await v.fastify.inject({ method: 'GET', url: path });
  if (res.statusCode !== 200) throw new Error(`${v.name}: ${path} → ${res.statusCode} ${res.body.slice(0, 200)}`);
  await run(v.fastify, 2_000);
}
for (let b = 0; b < BATCHES; b++) {
  for (const v of b % 2 ? [...variants].reverse() : variants) {
    const start = process.cpuUsage();
    await run(v.fastify, BATCH);
    const used = process.cpuUsage(start);
    v.cpu.push((used.user + used.system) / BATCH);
  }
}
const ref = variants[0];
for (const v of variants) {
  const ratios = v.cpu.map((c, i) => c / ref.cpu[i]);
  console.log(
    `${v.name.padEnd(28)} ${median(v.cpu).toFixed(1).padStart(7)} µs/req   ×${median(ratios).toFixed(2)} of ${ref.name}`,
  );
}
for (const v of variants) await v.app.close();
process.exit(0);
