import type { INestApplicationContext } from '@nestjs/common';
import type { FastifyInstance, onRequestHookHandler, RouteOptions } from 'fastify';
import { directHandlerFor } from './direct-route.js';
import { enterRequestContext } from './http-hooks.js';
import { type ControllerRoute, controllerRoutes, routeKey } from './route-table.js';

/**
 * Something enforced on every request of a route (authentication, rate limits), decided once per
 * route at start-up from the route's decorators: `hooksFor` returns the route's hook, or nothing
 * when the route needs none (then its requests pay nothing for it).
 */
export interface RoutePolicy {
  hooksFor(route: ControllerRoute): onRequestHookHandler | undefined;
}

/**
 * Installs the per-route policies as Fastify route-level `onRequest` hooks, in the order given,
 * instead of Nest guards: no execution context, no reflector look-up and no promise per request,
 * and a refused request is answered before its body is read. Errors thrown by the hooks are rendered
 * by the application's exception filter (problem+json) like any other. Also swaps in the direct
 * handler of routes marked `@ServeDirect()` (see direct-route.ts). Call before `app.init()`.
 */
export function applyRoutePolicies(
  fastify: FastifyInstance,
  app: INestApplicationContext,
  policies: readonly RoutePolicy[],
): void {
  const routes = new Map(controllerRoutes(app).map((route) => [routeKey(route.method, route.path), route]));
  fastify.addHook('onRoute', (options: RouteOptions) => {
    const method = Array.isArray(options.method) ? options.method[0] : options.method;
    // Fastify's automatic HEAD route of a GET route follows the GET route's policy.
    const route =
      routes.get(routeKey(method, options.url)) ??
      (method === 'HEAD' ? routes.get(routeKey('GET', options.url)) : undefined);
    if (!route) return; // not a controller route (Swagger UI, static files): no policy, as before
    const hooks = policies.map((policy) => policy.hooksFor(route)).filter((hook) => hook !== undefined);
    if (hooks.length > 0) options.onRequest = [inSequence(hooks), ...[options.onRequest ?? []].flat()];
    const direct = method === 'HEAD' ? undefined : directHandlerFor(route);
    if (direct) {
      options.handler = direct;
      // The direct handler enters the request context itself: one preHandler trip fewer per request.
      options.preHandler = [options.preHandler ?? []].flat().filter((hook) => hook !== enterRequestContext);
    }
  });
}

/**
 * The route's policy hooks as ONE Fastify hook, each run after the previous one passed: every hook
 * Fastify runs is another trip through its hook runner on every request (bench/README.md measures
 * what merging bought). Fails like Fastify's runner does: the first error (passed or thrown) ends the
 * request; a policy never sends a reply itself.
 */
export function inSequence(hooks: readonly onRequestHookHandler[]): onRequestHookHandler {
  const [first, ...rest] = hooks;
  if (rest.length === 0) return first;
  const then = inSequence(rest);
  return function policies(this: FastifyInstance, req, reply, done) {
    void first.call(this, req, reply, (error?: Error) => {
      if (error) return done(error);
      try {
        void then.call(this, req, reply, done);
      } catch (thrown) {
        done(thrown as Error);
      }
    });
  };
}
