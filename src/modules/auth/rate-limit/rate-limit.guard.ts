import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccessTokenService } from '../../../common/auth/access-token.service.js';
import { DomainError } from '../../../common/errors/domain-error.js';
import { LOGIN_RATE_LIMIT, SKIP_RATE_LIMIT } from '../../../common/rate-limit/rate-limit.decorators.js';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config.js';
import { clientAddressKey } from './client-address.js';
import { RateLimitStore } from './rate-limit.store.js';

const BEARER = /^Bearer ([A-Za-z0-9_.-]+)$/;
const MINUTE_MS = 60_000;

/** A 429 problem whose Retry-After is the real number of seconds until the caller may try again. */
export function rateLimited(retryAfterSeconds: number, message = 'Too many requests, slow down'): DomainError {
  const seconds = String(Math.max(1, Math.ceil(retryAfterSeconds)));
  return new DomainError(429, 'rate_limited', message, { headers: { 'retry-after': seconds } });
}

/**
 * Global guard, fixed one-minute windows counted in Redis (memory fallback):
 * - every route: RATE_LIMIT_PER_MINUTE per client, the authenticated user when there is one (many
 *   users may share a NAT address), else the IP; X-RateLimit-Limit/Remaining/Reset on the response;
 * - routes marked @LoginRateLimit(): also LOGIN_PER_IP_PER_MINUTE per IP.
 * @SkipRateLimit() routes (health, metrics) are never counted. Failed logins per email are limited
 * separately (LoginAttemptsService), because only failures count there.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly store: RateLimitStore,
    private readonly tokens: AccessTokenService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(SKIP_RATE_LIMIT, targets)) return true;
    const http = context.switchToHttp();
    const req = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();

    const limit = this.config.rateLimit.perMinute;
    const client = await this.store.admit(`global:${this.clientOf(req)}`, limit, MINUTE_MS);
    void reply.headers({
      'x-ratelimit-limit': limit,
      'x-ratelimit-remaining': client.remaining,
      'x-ratelimit-reset': Math.ceil(client.ttlMs / 1000),
    });
    if (!client.allowed) throw rateLimited(client.ttlMs / 1000);

    if (this.reflector.getAllAndOverride<boolean | undefined>(LOGIN_RATE_LIMIT, targets)) {
      const ip = await this.store.add(`login:ip:${clientAddressKey(req.ip)}`, MINUTE_MS);
      if (ip.count > this.config.rateLimit.loginPerIpPerMinute) {
        throw rateLimited(ip.ttlMs / 1000, 'Too many login attempts from this address, slow down');
      }
    }
    return true;
  }

  private clientOf(req: FastifyRequest): string {
    const actorId = req.context?.actor?.id ?? this.bearerSubject(req);
    return actorId ? `user:${actorId}` : `ip:${clientAddressKey(req.ip)}`;
  }

  /** When this guard runs before the access guard: the verified token's subject. */
  private bearerSubject(req: FastifyRequest): string | undefined {
    const header = req.headers.authorization;
    const token = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
    return token ? this.tokens.verify(token)?.id : undefined;
  }
}
