import { Controller, Get, HttpStatus, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { Public } from '../../common/auth/public.decorator.js';
import { SkipRateLimit } from '../../common/rate-limit/rate-limit.decorators.js';
import { ServeDirect } from '../../infrastructure/http/direct-route.js';
import { ReadinessIndicators } from '../../infrastructure/health/readiness.indicators.js';

/** One object for every answer: its JSON and ETag are computed once (see ServeDirect). */
const LIVE = Object.freeze({ status: 'ok' as const });

@ApiTags('health')
@Public()
@SkipRateLimit()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: ReadinessIndicators,
  ) {}

  /** Liveness: the process can serve. No dependency is checked. */
  @Get('live')
  @ServeDirect(() => [])
  @ApiOkResponse({ description: 'The process is alive' })
  live(): { status: 'ok' } {
    return LIVE;
  }

  /** Readiness: MySQL reachable, migrations applied, not shutting down. Redis down is degraded, not failed. */
  @Get('ready')
  @ApiOkResponse({
    description: 'Ready to serve; `details.redis.status` and `details.replicas.status` may be `degraded`',
  })
  @ApiServiceUnavailableResponse({ description: 'Terminus body naming the failed check' })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    const [result, redis] = await Promise.all([
      this.health
        .check([
          () => this.indicators.accepting(),
          () => this.indicators.database(),
          () => this.indicators.migrations(),
        ])
        .catch((error: unknown) => {
          if (!(error instanceof ServiceUnavailableException)) throw error;
          void reply.status(HttpStatus.SERVICE_UNAVAILABLE);
          return error.getResponse() as HealthCheckResult;
        }),
      this.indicators.redisStatus(),
    ]);
    void reply.header('cache-control', 'no-store');
    const replicas = this.indicators.replicaStatus();
    return { ...result, details: { ...result.details, redis, ...(replicas && { replicas }) } } as HealthCheckResult;
  }
}
