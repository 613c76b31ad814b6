// One bare NestJS-on-Fastify app (the `nest` baseline's route) plus ONE per-request mechanism, chosen by
// VARIANT: a kept library, or the service's own code for the same job (imported from dist/). The
// difference to `bare` is what the mechanism costs per request. Plain JS, decorators applied by hand.
import 'reflect-metadata';
import { openSync } from 'node:fs';
import { Controller, Get, Module } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { exitWithParent, listenOptions } from '../baselines/lifecycle.mjs';

const dist = (file) => import(new URL(`../../dist/src/${file}`, import.meta.url).href);
const variant = process.env.VARIANT ?? 'bare';
/** Every logging variant writes where the bench's service does: a file, through pino's destination. */
const logFd = () => openSync(process.env.LOG_FILE ?? '/dev/null', 'a');

class StatusController {
  status() {
    return { status: 'ok' };
  }
}
Controller()(StatusController);
Get()(StatusController.prototype, 'status', Object.getOwnPropertyDescriptor(StatusController.prototype, 'status'));

const imports = [];
const providers = [];
let onApp = () => {};

if (variant === 'nestjs-cls') {
  const { ClsModule } = await import('nestjs-cls');
  // The library's default set-up: a store per request through its middleware, ids generated.
  imports.push(ClsModule.forRoot({ global: true, middleware: { mount: true, generateId: true } }));
} else if (variant === 'own-context') {
  const { requestContext } = await dist('infrastructure/http/request-context.js');
  const { requestIdFor } = await dist('infrastructure/http/http-hooks.js');
  onApp = (fastify) => {
    fastify.addHook('onRequest', (req, _reply, done) => {
      req.context = { requestId: requestIdFor(req), ip: req.ip, userAgent: null, queryCount: 0 };
      done();
    });
    fastify.addHook('preHandler', (req, _reply, done) => requestContext.run(req.context, done));
  };
} else if (variant === 'nestjs-pino') {
  const { LoggerModule } = await import('nestjs-pino');
  const { pino } = await import('pino');
  imports.push(
    LoggerModule.forRoot({
      pinoHttp: { stream: pino.destination({ dest: logFd(), sync: true, minLength: 4096 }), quietReqLogger: true },
    }),
  );
} else if (variant === 'own-log') {
  const { pino } = await import('pino');
  const { createAccessLog } = await dist('infrastructure/logging/access-log.js');
  const root = pino(
    { base: { service: 'mainspring' } },
    pino.destination({ dest: logFd(), sync: true, minLength: 4096 }),
  );
  const accessLog = createAccessLog(root);
  onApp = (fastify) =>
    fastify.addHook('onResponse', (req, reply, done) => {
      const ms = reply.elapsedTime;
      accessLog({ reqId: req.id, method: req.method, route: req.routeOptions.url, status: reply.statusCode, ms });
      done();
    });
} else if (variant === 'throttler') {
  const { ThrottlerGuard, ThrottlerModule } = await import('@nestjs/throttler');
  // In-memory storage: the cheapest the library gets (a shared store adds a round trip per request).
  imports.push(ThrottlerModule.forRoot({ throttlers: [{ ttl: 60_000, limit: 10_000_000 }] }));
  providers.push({ provide: APP_GUARD, useClass: ThrottlerGuard });
} else if (variant === 'own-rate-limit') {
  const { LeaseLimiter } = await dist('common/rate-limit/lease-limiter.js');
  const { MemoryCounterStore } = await dist('common/rate-limit/counter-store.js');
  const store = new MemoryCounterStore();
  const limiter = new LeaseLimiter((key, limit, windowMs) => store.lease(key, limit, windowMs));
  const limit = 10_000_000;
  onApp = (fastify) =>
    fastify.addHook('onRequest', (req, reply, done) => {
      const key = `global:ip:${req.ip}`;
      const decide = (a) => {
        void reply.headers({
          'x-ratelimit-limit': limit,
          'x-ratelimit-remaining': a.remaining,
          'x-ratelimit-reset': Math.ceil(a.ttlMs / 1000),
        });
        done(a.allowed ? undefined : new Error('429'));
      };
      const local = limiter.admitLocally(key, limit);
      if (local) decide(local);
      else limiter.admit(key, limit, 60_000).then(decide, done);
    });
} else if (variant !== 'bare') {
  throw new Error(`unknown VARIANT ${variant}`);
}

class VariantModule {}
Module({ imports, providers, controllers: [StatusController] })(VariantModule);

const app = await NestFactory.create(VariantModule, new FastifyAdapter(), { logger: false });
onApp(app.getHttpAdapter().getInstance());
if (process.env.INJECT) {
  // In-process mode: requests through fastify.inject (no sockets, no load generator competing for the
  // CPU), 32 at a time; prints this process's CPU µs per request. Far steadier on a shared machine.
  await app.init();
  const fastify = app.getHttpAdapter().getInstance();
  await fastify.ready();
  const run = async (count) => {
    for (let sent = 0; sent < count; sent += 32) {
      await Promise.all(Array.from({ length: 32 }, () => fastify.inject({ method: 'GET', url: '/' })));
    }
  };
  await run(5_000);
  const started = process.cpuUsage();
  const count = Number(process.env.INJECT);
  await run(count);
  const cpu = process.cpuUsage(started);
  console.log(JSON.stringify({ variant, cpuUsPerRequest: (cpu.user + cpu.system) / count }));
  await app.close();
  process.exit(0);
}
const { host, port } = listenOptions();
await app.listen(port, host);
exitWithParent(() => app.close());
