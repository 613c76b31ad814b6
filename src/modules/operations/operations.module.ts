import { Module } from '@nestjs/common';
import { HealthController } from './health.controller.js';
import { MetricsController } from './metrics.controller.js';

/**
 * The endpoints orchestrators call (/health, /metrics). Their checks and the metrics registry are
 * infrastructure; the routes are here because they carry access policy (public, no rate limit).
 */
@Module({ controllers: [HealthController, MetricsController] })
export class OperationsModule {}
