import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import type { Logger as Pino } from 'pino';
import { createAccessLog } from '../logging/access-log.js';
import { httpDuration } from '../metrics/metrics.js';
import { RequestDurations } from '../metrics/request-durations.js';
import { weakEtagOf } from './etag.js';
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

export interface HttpHooksOptions {
  readonly logger: Pino;
  /** Headers every response carries (the security headers), set once per request as one object. */
  readonly staticHeaders: Readonly<Record<string, string | number>>;
  /** Adds `x-query-count` (SQL statements issued while serving the request) to every response. */
  readonly exposeQueryCount: boolean;
}

/**
 * Every global per-request concern, as ONE Fastify hook per stage (each extra hook is another trip
 * through Fastify's hook runner on every request; bench/README.md measures what merging bought):
 * - onRequest: request id header, the static (security) headers, the request context;
 * - preHandler (per route, see enterRequestContext): the async request context entered (after the body
 *   is parsed, so it spans pipes, interceptors and the handler);
 * - onSend: Cache-Control of authenticated answers, the weak ETag and its 304, `x-query-count`;
 * - onResponse: the duration histogram and one access-log line.
 */
export function registerHttpHooks(fastify: FastifyInstance, options: HttpHooksOptions): void {
  const accessLog = createAccessLog(options.logger);
  const durations = new RequestDurations(httpDuration);
  const { staticHeaders, exposeQueryCount } = options;
  fastify.decorateRequest('context', undefined as unknown as RequestContext);

  fastify.addHook('onRequest', (req, reply, done) => {
    req.context = {
      requestId: req.id,
      ip: req.ip ?? null,
      userAgent: typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'].slice(0, 512) : null,
      queryCount: 0,
    };
    void reply.headers(staticHeaders).header('x-request-id', req.id);
    done();
  });

  fastify.addHook('onRoute', (route) => {
    route.preHandler = [enterRequestContext, ...[route.preHandler ?? []].flat()];
  });

  fastify.addHook('onSend', (req, reply, payload, done) => {
    if (exposeQueryCount) void reply.header('x-query-count', String(req.context?.queryCount ?? 0));
    cacheControl(req, reply);
    done(null, etag(req, reply, payload));
  });

  fastify.addHook('onResponse', (req, reply, done) => {
    const route = routeOf(req);
    durations.observe(req.method, route, reply.statusCode, reply.elapsedTime / 1000);
    accessLog({
      reqId: req.id,
      method: req.method,
      route,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
      userId: req.context?.actor?.id,
    });
    done();
  });
}

/**
 * The request context entered for the rest of the request: the first route-level preHandler of every
 * route (a global hook could not be left out), so that a direct route, whose handler enters the
 * context itself, runs one hook fewer (route-hooks.ts). Requests no route matched run no handler
 * that needs it (the not-found answer reads `req.context` only).
 */
export const enterRequestContext: preHandlerHookHandler = (req, _reply, done) => {
  requestContext.run(req.context, done);
};

/**
 * Responses to authenticated requests are private (never stored by a shared cache); a handler that
 * set its own Cache-Control (token responses: no-store) keeps it. Anonymous reads keep ETag revalidation.
 */
function cacheControl(req: FastifyRequest, reply: FastifyReply): void {
  if (req.headers.authorization !== undefined && !reply.hasHeader('cache-control')) {
    void reply.header('cache-control', 'private, no-cache');
  }
}

/**
 * A weak ETag on every string/Buffer body (a handler may set its own: direct routes set one computed
 * once per cached object), and 304 with an empty body when If-None-Match names it — what
 * @fastify/etag (weak, SHA-1/base64) did, in this one hook. Returns the payload to send.
 */
function etag(req: FastifyRequest, reply: FastifyReply, payload: unknown): unknown {
  let tag = reply.getHeader('etag') as string | undefined;
  if (!tag) {
    if (!(typeof payload === 'string' || payload instanceof Buffer)) return payload;
    tag = weakEtagOf(payload);
    void reply.header('etag', tag);
  }
  const given = req.headers['if-none-match'];
  if (given !== undefined && (given === tag || `W/${given}` === tag || given === `W/${tag}`)) {
    void reply.code(304);
    return '';
  }
  return payload;
}

export function routeOf(req: FastifyRequest): string {
  // The route template, never the raw URL: ids in paths would explode the metric's cardinality.
  return req.routeOptions.url ?? 'unmatched';
}
