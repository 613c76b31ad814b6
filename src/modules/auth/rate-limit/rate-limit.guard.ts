import { type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { AccessTokenService } from '../../../common/auth/access-token.service.js';
import { DomainError } from '../../../common/errors/domain-error.js';

const BEARER = /^Bearer ([A-Za-z0-9_.-]+)$/;

/** A 429 problem whose Retry-After is the real number of seconds until the caller may try again. */
export function rateLimited(retryAfterSeconds: number, message = 'Too many requests, slow down'): DomainError {
  const seconds = String(Math.max(1, Math.ceil(retryAfterSeconds)));
  return new DomainError(429, 'rate_limited', message, { headers: { 'retry-after': seconds } });
}

/**
 * @nestjs/throttler's guard with our storage (Redis, memory fallback) and our error: the client is
 * the authenticated user when there is one (many users may share a NAT address), else the IP.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    @Inject(AccessTokenService) private readonly tokens: AccessTokenService,
  ) {
    super(options, storage, reflector);
  }

  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const request = req as unknown as FastifyRequest;
    const actorId = request.context?.actor?.id ?? this.bearerSubject(request);
    return actorId ? `user:${actorId}` : `ip:${request.ip}`;
  }

  protected override async throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    throw rateLimited(detail.timeToBlockExpire);
  }

  /** When this guard runs before the access guard: the (verified) token's subject. */
  private bearerSubject(req: FastifyRequest): string | undefined {
    const header = req.headers.authorization;
    const token = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
    return token ? this.tokens.verify(token)?.id : undefined;
  }
}
