import { Global, Module } from '@nestjs/common';
import { RateLimitPolicy } from './rate-limit.policy.js';
import { RateLimitStore } from './rate-limit.store.js';

/**
 * The rate limits: a per-route policy (Fastify hooks, see RateLimitPolicy) over Redis-backed
 * counters; the store is global too, for the auth module's per-email login failures.
 */
@Global()
@Module({
  providers: [RateLimitStore, RateLimitPolicy],
  exports: [RateLimitStore, RateLimitPolicy],
})
export class RateLimitModule {}
