import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { REDIS_CLIENT, type RedisClient } from '../cache/redis-client.js';
import { withTimeout } from '../cache/with-timeout.js';
import { leanQuery } from '../database/lean-query.js';
import { ReadReplicas } from '../database/read-replicas.service.js';
import type { ReplicaState } from '../database/replica-state.js';
import { ShutdownState } from './shutdown-state.js';

const CHECK_TIMEOUT_MS = 1_000;

@Injectable()
export class ReadinessIndicators {
  /** Once every migration of this build is applied it stays applied: no need to ask again. */
  private migrationsApplied = false;

  constructor(
    private readonly health: HealthIndicatorService,
    private readonly dataSource: DataSource,
    private readonly shutdown: ShutdownState,
    private readonly replicas: ReadReplicas,
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
  ) {}

  async database() {
    const check = this.health.check('database');
    try {
      // Straight on a pooled connection (leanQuery): same pool and acquire timeout, no QueryRunner.
      await withTimeout(leanQuery(this.dataSource, 'SELECT 1', []), CHECK_TIMEOUT_MS);
      return check.up();
    } catch (error) {
      return check.down({ message: describe(error) });
    }
  }

  async migrations() {
    const check = this.health.check('migrations');
    if (this.migrationsApplied) return check.up();
    try {
      const pending = await withTimeout(this.dataSource.showMigrations(), CHECK_TIMEOUT_MS);
      this.migrationsApplied = !pending;
      return pending ? check.down({ message: 'pending migrations' }) : check.up();
    } catch (error) {
      return check.down({ message: describe(error) });
    }
  }

  accepting() {
    const check = this.health.check('shutdown');
    return this.shutdown.isDraining ? check.down({ message: 'draining' }) : check.up();
  }

  replicaStatus() {
    return replicaStatus(this.replicas.configured, this.replicas.states());
  }

  /** Reported, never failing: without Redis the service still serves from MySQL. */
  async redisStatus(): Promise<{ status: 'up' } | { status: 'degraded'; message: string }> {
    try {
      await withTimeout(this.redis.ping(), CHECK_TIMEOUT_MS);
      return { status: 'up' };
    } catch (error) {
      return { status: 'degraded', message: describe(error) };
    }
  }
}

/**
 * Reported, never failing: reads that may lag fall back to the primary while no replica is usable.
 * `degraded` when some configured replica is down or lagging; undefined when none is configured.
 */
export function replicaStatus(
  configured: boolean,
  replicas: Record<string, ReplicaState>,
): { status: 'up' | 'degraded'; replicas: Record<string, ReplicaState> } | undefined {
  if (!configured) return undefined;
  const allUp = Object.values(replicas).every((state) => state.status === 'up');
  return { status: allUp ? 'up' : 'degraded', replicas };
}

function describe(error: unknown): string {
  // Error codes only: messages may carry hosts or SQL, which readiness bodies must not leak.
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : 'unavailable';
}
