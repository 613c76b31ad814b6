import { Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { DomainError } from '../errors/domain-error.js';
import { LOGIN_RATE_LIMIT, SKIP_RATE_LIMIT } from './rate-limit.decorators.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import type { RoutePolicy } from '../../infrastructure/http/route-hooks.js';
import type { ControllerRoute } from '../../infrastructure/http/route-table.js';
import { clientAddressKey } from './client-address.js';
import type { Admission } from './lease-limiter.js';
import { RateLimitStore } from './rate-limit.store.js';

const MINUTE_MS = 60_000;

/** A 429 problem whose Retry-After is the real number of seconds until the caller may try again. */
export function rateLimited(retryAfterSeconds: number, message = 'Too many requests, slow down'): DomainError {
  const seconds = String(Math.max(1, Math.ceil(retryAfterSeconds)));
  return new DomainError(429, 'rate_limited', message, { headers: { 'retry-after': seconds } });
}

/** Who a budget counts, as a counter key. */
export type ClientKey = (req: FastifyRequest) => string;

/**
 * The global budget's counter key: the authenticated user when there is one (many users may share a
 * NAT address), else the client address (`global:user:<id>`, `global:ip:<clientAddressKey>`).
 * An anonymous request's key is remembered per connection together with the address it was built
 * from: a keep-alive connection sends many requests from one address, and building the key (the
 * address checks of clientAddressKey, two string concatenations, hashing the new string for the
 * counter's map look-up) need not be repeated for each (bench/README.md, third pass). A request whose
 * address differs from the remembered one (another X-Forwarded-For under TRUST_PROXY) builds its own key.
 */
export function globalKeys(): ClientKey {
  const byConnection = new WeakMap<object, { ip: string | undefined; key: string }>();
  return (req) => {
    const actorId = req.context.actor?.id;
    if (actorId) return `global:user:${actorId}`;
    const ip = req.ip;
    const connection = req.raw.socket as object | null | undefined;
    const known = connection ? byConnection.get(connection) : undefined;
    if (known !== undefined && known.ip === ip) return known.key;
    const key = `global:ip:${clientAddressKey(ip)}`;
    if (connection) byConnection.set(connection, { ip, key });
    return key;
  };
}

/** The per-IP key of the login budget (IPv6 per /64). */
export const loginKeyOf: ClientKey = (req) => `login:ip:${clientAddressKey(req.ip)}`;

/**
 * The rate limits, per route, fixed one-minute windows counted in Redis (memory fallback):
 * - every route: RATE_LIMIT_PER_MINUTE per client (`globalKeys`); X-RateLimit-Limit/Remaining/Reset
 *   on the response. Usually decided in memory from a lease (see LeaseLimiter): no Redis call, no promise;
 * - routes marked @LoginRateLimit(): also LOGIN_PER_IP_PER_MINUTE per IP (exact: one Redis INCR).
 * @SkipRateLimit() routes (health, metrics) get no hook at all. Runs after the access policy, so the
 * actor is known. Failed logins per email are limited separately (LoginAttemptsService).
 */
@Injectable()
export class RateLimitPolicy implements RoutePolicy {
  private readonly globalKey = globalKeys();

  constructor(
    private readonly reflector: Reflector,
    private readonly store: RateLimitStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  hooksFor(route: ControllerRoute): onRequestHookHandler | undefined {
    const targets = [route.handler, route.controller];
    if (this.reflector.getAllAndOverride<boolean | undefined>(SKIP_RATE_LIMIT, targets)) return undefined;
    const login = this.reflector.getAllAndOverride<boolean | undefined>(LOGIN_RATE_LIMIT, targets) ?? false;
    const { store, globalKey } = this;
    const limit = this.config.rateLimit.perMinute;
    const loginLimit = this.config.rateLimit.loginPerIpPerMinute;
    const loginCheck = (req: FastifyRequest, done: (error?: Error) => void) => {
      store.add(loginKeyOf(req), MINUTE_MS).then((ip) => {
        const refused = ip.count > loginLimit;
        done(
          refused ? rateLimited(ip.ttlMs / 1000, 'Too many login attempts from this address, slow down') : undefined,
        );
      }, done);
    };
    const decide = (req: FastifyRequest, reply: FastifyReply, admission: Admission, done: (error?: Error) => void) => {
      // One header() each, not reply.headers() of a new object (an object and a key array per request).
      void reply
        .header('x-ratelimit-limit', limit)
        .header('x-ratelimit-remaining', admission.remaining)
        .header('x-ratelimit-reset', Math.ceil(admission.ttlMs / 1000));
      if (!admission.allowed) done(rateLimited(admission.ttlMs / 1000));
      else if (login) loginCheck(req, done);
      else done();
    };
    return (req, reply, done) => {
      const key = globalKey(req);
      const local = store.admitLocally(key, limit);
      if (local) decide(req, reply, local, done);
      else
        store.admit(key, limit, MINUTE_MS).then(
          (admission) => decide(req, reply, admission, done),
          (error: Error) => done(error),
        );
    };
  }
}
