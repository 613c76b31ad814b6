import { Module } from '@nestjs/common';
import { RateLimitPolicy } from './rate-limit.policy.js';
import { RateLimitStore } from './rate-limit.store.js';

/** The rate limits: a per-route policy (Fastify hooks, see RateLimitPolicy) over Redis-backed counters. */
@Module({
  providers: [RateLimitStore, RateLimitPolicy],
  exports: [RateLimitStore, RateLimitPolicy],
})
export class RateLimitModule {}
