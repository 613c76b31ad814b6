import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { RateLimitGuard } from './rate-limit.guard.js';
import { RateLimitStore } from './rate-limit.store.js';

/**
 * The rate limits: a global guard over Redis-backed counters (see RateLimitGuard); the store is
 * global too, for the auth module's per-email login failures.
 */
@Global()
@Module({
  providers: [RateLimitStore, { provide: APP_GUARD, useClass: RateLimitGuard }],
  exports: [RateLimitStore],
})
export class RateLimitModule {}
