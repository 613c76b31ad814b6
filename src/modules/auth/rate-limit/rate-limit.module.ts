import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule, type ThrottlerModuleOptions } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config.js';
import { isLoginThrottled } from './login-throttle.decorator.js';
import { RateLimitGuard } from './rate-limit.guard.js';
import { RateLimitStore } from './rate-limit.store.js';

@Module({ providers: [RateLimitStore], exports: [RateLimitStore] })
class RateLimitStoreModule {}

const MINUTE_MS = 60_000;

/**
 * Two throttlers on one guard, counted in Redis (memory fallback):
 * - `default`: RATE_LIMIT_PER_MINUTE per client (user, else IP) across all routes;
 * - `login`: LOGIN_PER_IP_PER_MINUTE per IP on routes marked @LoginThrottle() (login, register).
 * Failed logins per email are limited separately by LoginAttemptsService. Health and metrics skip both.
 */
export function throttlerOptions(config: AppConfig, storage: RateLimitStore): ThrottlerModuleOptions {
  return {
    storage,
    throttlers: [
      {
        name: 'default',
        ttl: MINUTE_MS,
        limit: config.rateLimit.perMinute,
        generateKey: (_context, tracker) => `global:${tracker}`,
      },
      {
        name: 'login',
        ttl: MINUTE_MS,
        limit: config.rateLimit.loginPerIpPerMinute,
        setHeaders: false,
        skipIf: (context) => !isLoginThrottled(context.getHandler()),
        getTracker: (req) => `ip:${(req as FastifyRequest).ip}`,
        generateKey: (_context, tracker) => `login:${tracker}`,
      },
    ],
  };
}

@Module({
  imports: [
    RateLimitStoreModule,
    ThrottlerModule.forRootAsync({
      imports: [RateLimitStoreModule],
      inject: [APP_CONFIG, RateLimitStore],
      useFactory: throttlerOptions,
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: RateLimitGuard }],
  exports: [RateLimitStoreModule],
})
export class RateLimitModule {}
