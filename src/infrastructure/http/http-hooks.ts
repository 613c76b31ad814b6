import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger as Pino } from 'pino';
import { createAccessLogger } from '../logging/logger.js';
import { httpDuration } from '../metrics/metrics.js';
import { type RequestContext, requestContext } from './request-context.js';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Echo a sane incoming x-request-id, otherwise mint one. */
export function requestIdFor(req: { headers: Record<string, string | string[] | undefined> }): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

declare module 'fastify' {
  interface FastifyRequest {
    context: RequestContext;
  }
}

/**
 * Per-request plumbing on the raw Fastify instance: request id header, the async request context
 * (entered in preHandler, after the body is parsed, so it spans pipes, interceptors and the handler),
 * the duration histogram and one access-log line per request.
 */
export function registerHttpHooks(fastify: FastifyInstance, logger: Pino, exposeQueryCount: boolean): void {
  const accessLog = createAccessLogger(logger);
  fastify.decorateRequest('context', undefined as unknown as RequestContext);

  fastify.addHook('onRequest', (req, reply, done) => {
    req.context = {
      requestId: req.id,
      ip: req.ip ?? null,
      userAgent: typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'].slice(0, 512) : null,
      queryCount: 0,
    };
    void reply.header('x-request-id', req.id);
    done();
  });

  fastify.addHook('preHandler', (req, _reply, done) => {
    requestContext.run(req.context, done);
  });

  if (exposeQueryCount) {
    fastify.addHook('onSend', (req, reply, payload, done) => {
      void reply.header('x-query-count', String(req.context?.queryCount ?? 0));
      done(null, payload);
    });
  }

  fastify.addHook('onResponse', (req, reply, done) => {
    const route = routeOf(req);
    const seconds = reply.elapsedTime / 1000;
    httpDuration.observe({ method: req.method, route, status: reply.statusCode }, seconds);
    accessLog.info(
      {
        reqId: req.id,
        method: req.method,
        route,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
        userId: req.context?.actor?.id,
      },
      'request',
    );
    done();
  });
}

export function routeOf(req: FastifyRequest): string {
  // The route template, never the raw URL: ids in paths would explode the metric's cardinality.
  return req.routeOptions.url ?? 'unmatched';
}
