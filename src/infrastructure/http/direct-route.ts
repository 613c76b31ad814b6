import { SetMetadata } from '@nestjs/common';
import {
  GUARDS_METADATA,
  HEADERS_METADATA,
  HTTP_CODE_METADATA,
  INTERCEPTORS_METADATA,
  PIPES_METADATA,
  REDIRECT_METADATA,
  ROUTE_ARGS_METADATA,
} from '@nestjs/common/constants.js';
import type { FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import { weakEtagOf } from './etag.js';
import { requestContext } from './request-context.js';
import type { ControllerRoute } from './route-table.js';

const SERVE_DIRECT = 'http:serve-direct';

/** The handler's arguments, taken from the request (the route's policy hooks have run: `req.context.actor` is set). */
export type DirectArguments = (req: FastifyRequest) => unknown[];

/**
 * For the few hottest reads only: Fastify calls the controller method itself, with the arguments
 * `args` takes from the request, instead of going through Nest's router (execution context,
 * parameter factories, global pipe, interceptor chain, response handling: measured as the largest
 * part of what such a read costs over bare Fastify, see bench/README.md). Everything else is the
 * same as for any route: the route is declared with the usual decorators (Swagger lists it, the
 * permission matrix calls it), its access and rate-limit policy and every global hook (request id,
 * security headers, ETag, metrics, access log) apply, the method runs in the request context (entered
 * by the handler: the route has no preHandler for it), and an error is rendered by the same exception
 * filter. The answer's JSON and ETag are computed once per object (see
 * `prepared`): a cached value, returned as the same object on every hit, is serialised and hashed
 * once, not per request; so a direct route must not mutate an object after returning it. Only for GET routes whose parameters need no pipe and that use no
 * interceptor, guard, @HttpCode, @Header or @Redirect: checked at start-up.
 */
export const ServeDirect = (args: DirectArguments) => SetMetadata(SERVE_DIRECT, args);

const UNSUPPORTED = [
  GUARDS_METADATA,
  INTERCEPTORS_METADATA,
  PIPES_METADATA,
  HTTP_CODE_METADATA,
  HEADERS_METADATA,
  REDIRECT_METADATA,
];

/** The Fastify handler serving `route` directly, or undefined when it is not marked @ServeDirect(). */
export function directHandlerFor(route: ControllerRoute): RouteHandlerMethod | undefined {
  const args = Reflect.getMetadata(SERVE_DIRECT, route.handler) as DirectArguments | undefined;
  if (!args) return undefined;
  const where = `${route.controller.name}.${route.handlerName}`;
  if (route.method !== 'GET') throw new Error(`@ServeDirect() on ${where}: only GET routes can be served directly`);
  for (const key of UNSUPPORTED) {
    if (Reflect.getMetadata(key, route.handler) ?? Reflect.getMetadata(key, route.controller)) {
      throw new Error(`@ServeDirect() on ${where}: the route uses ${key}, which a direct route would skip`);
    }
  }
  const params = (Reflect.getMetadata(ROUTE_ARGS_METADATA, route.controller, route.handlerName) ?? {}) as Record<
    string,
    { pipes?: unknown[] }
  >;
  if (Object.values(params).some((param) => (param.pipes?.length ?? 0) > 0)) {
    throw new Error(`@ServeDirect() on ${where}: a parameter has a pipe, which a direct route would skip`);
  }
  const instance = route.instance as Record<string, (...values: unknown[]) => unknown>;
  const method = route.handlerName;
  const hasParams = route.path.includes(':');
  return function directHandler(req: FastifyRequest, reply: FastifyReply) {
    // As Nest's Fastify adapter does: an empty path parameter ("/products/") is not a match.
    if (hasParams) {
      const params = req.params as Record<string, string>;
      for (const name in params) if (params[name] === '') return reply.callNotFound();
    }
    // Its route has no preHandler entering the request context (route-hooks.ts): entered here.
    const result = requestContext.run(req.context, () => instance[method](...args(req)));
    return result instanceof Promise ? result.then((value) => prepared(reply, value)) : prepared(reply, result);
  };
}

const bodies = new WeakMap<object, { json: string; etag: string }>();

/**
 * The JSON body of `value` with its ETag header set (what Fastify's serialiser and @fastify/etag would
 * produce, byte for byte), remembered per object: the plugin skips hashing when the header is set and
 * still answers If-None-Match with 304.
 */
function prepared(reply: FastifyReply, value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  let body = bodies.get(value);
  if (!body) {
    const json = JSON.stringify(value);
    body = { json, etag: weakEtagOf(json) };
    bodies.set(value, body);
  }
  void reply.header('etag', body.etag).header('content-type', 'application/json; charset=utf-8');
  return body.json;
}
