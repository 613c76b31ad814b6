import helmet from 'helmet';
import type { Logger as Pino } from 'pino';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from './config/app-config.js';
import { AppModule, type ModuleImport } from './app.module.js';
import { frameworkErrorHandler, registerIdParamCheck, registerJsonParser } from './common/errors/edge-errors.js';
import { AccessPolicy } from './common/auth/access.policy.js';
import { registerHttpHooks, requestIdFor } from './infrastructure/http/http-hooks.js';
import { applyRoutePolicies } from './infrastructure/http/route-hooks.js';
import { RateLimitPolicy } from './common/rate-limit/rate-limit.policy.js';
import { staticHeadersOf } from './infrastructure/http/static-headers.js';
import { createRootLogger, PinoNestLogger } from './infrastructure/logging/logger.js';
import { setupSwagger } from './swagger.js';

export const BODY_LIMIT_BYTES = 1_048_576;

/** TRUST_PROXY as Fastify takes it: a hop count n trusts the n nearest hops (what Fastify does with a number). */
function fastifyTrustProxy(
  trust: AppConfig['trustProxy'],
): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return Array.isArray(trust) ? [...(trust as string[])] : (trust as boolean);
}

/**
 * Builds the whole HTTP application from a config: used by main.ts and by every e2e test,
 * so tests exercise exactly the pipeline production runs.
 */
export async function createApp(
  config: AppConfig,
  rootLogger: Pino = createRootLogger(config),
  extraImports: ModuleImport[] = [],
): Promise<NestFastifyApplication> {
  // Security headers from helmet, computed once. (@fastify/helmet rebuilds the helmet middleware, CSP
  // parsing included, on every request, and adds an async hook: measured at well over half of the
  // cost of GET /health/live, see bench/README.md.) With these options every header is static, so
  // helmet runs once at start and each request only sets the resulting headers. Same library, same
  // options, same headers.
  const securityHeaders = staticHeadersOf(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: [`'self'`],
          styleSrc: [`'self'`, `'unsafe-inline'`],
          imgSrc: [`'self'`, 'data:', 'validator.swagger.io'],
          scriptSrc: [`'self'`, `'unsafe-inline'`],
        },
      },
    }),
  );
  // Set on Fastify's reply (written once with the status line, kept on error answers), not one by one
  // through Node's res.setHeader, which validates and stores each header on every request.
  const securityHeaderValues = Object.fromEntries(
    securityHeaders.map(([name, value]) => [name.toLowerCase(), typeof value === 'number' ? value : String(value)]),
  );
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: fastifyTrustProxy(config.trustProxy),
    genReqId: requestIdFor,
    // In-flight requests finish on close; idle keep-alive sockets are closed so shutdown is prompt.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    // URLs Fastify cannot route (over-long or malformed path parameters) answer problem+json too.
    frameworkErrors: frameworkErrorHandler(securityHeaderValues),
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, extraImports), adapter, {
    logger: new PinoNestLogger(rootLogger),
    abortOnError: false,
  });

  const fastify = app.getHttpAdapter().getInstance();
  // Request id, security headers, context, Cache-Control, ETag, metrics, access log: one hook per stage.
  registerHttpHooks(fastify, {
    logger: rootLogger,
    staticHeaders: securityHeaderValues,
    exposeQueryCount: config.exposeQueryCount,
  });
  // Authentication, then rate limits (keyed by the actor), per route, as Fastify hooks (not Nest guards).
  applyRoutePolicies(fastify, app, [app.get(AccessPolicy), app.get(RateLimitPolicy)]);
  registerIdParamCheck(fastify);
  registerJsonParser(app, BODY_LIMIT_BYTES);
  // No allowed origin: no CORS plugin at all (with `origin: false` it only ran a no-op hook per
  // request; preflights get the same 404 either way).
  if (config.corsOrigins.length > 0) app.enableCors({ origin: [...config.corsOrigins] });

  await setupSwagger(app);
  return app;
}
