import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig, type DatabaseTarget } from '../../config/app-config.js';
import { withTimeout } from '../cache/with-timeout.js';
import { enforceAcquireTimeout } from './acquire-timeout.js';
import { dataSourceOptions } from './data-source-options.js';
import { leanQuery } from './lean-query.js';
import type { ModuleSchema } from './module-schema.js';
import { isConnectionFailure } from './mysql-errors.js';
import { type ReplicaState, replicaStateOf } from './replica-state.js';

const CHECK_INTERVAL_MS = 1_000;
const CHECK_TIMEOUT_MS = 1_000;

interface Replica {
  readonly name: string;
  readonly target: DatabaseTarget;
  dataSource?: DataSource;
  state: ReplicaState;
}

/**
 * Routes reads that may lag to MySQL read replicas (DATABASE_REPLICA_URLS), round-robin over the replicas
 * that are up; everything else — every transaction, every read-your-writes path — keeps using the primary
 * DataSource. Own routing rather than TypeORM's `replication` option: that one sends every read made outside a
 * transaction to a replica by default (read-your-writes breaks everywhere unless each read opts out), and it
 * neither checks lag nor skips a replica that is behind. Here a read is on a replica only where its caller
 * says so (`read()`), and a replica is used only while its last check (every second: `SHOW REPLICA STATUS`)
 * found it replicating within DATABASE_REPLICA_MAX_LAG_SECONDS. A read that fails on a replica is run again
 * on the primary, so a replica that dies between two checks costs a retry, never an error.
 * The replicas' MySQL user needs SELECT and REPLICA MONITOR (MariaDB) / REPLICATION CLIENT (MySQL).
 */
@Injectable()
export class ReadReplicas implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ReadReplicas.name);
  private readonly replicas: Replica[];
  private next = 0;
  private timer?: NodeJS.Timeout;
  private checking?: Promise<void>;

  constructor(
    private readonly primary: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.replicas = config.db.replicas.map((target) => ({
      name: `${target.host}:${target.port}`,
      target,
      state: { status: 'down', reason: 'not checked yet' },
    }));
  }

  /** True when replicas are configured (whether or not any is up). */
  get configured(): boolean {
    return this.replicas.length > 0;
  }

  /**
   * Runs a read that may lag: on the next replica that is up, else on the primary. `work` must only read
   * and must not need what this request (or this user a moment ago) wrote.
   */
  async read<T>(work: (source: DataSource) => Promise<T>): Promise<T> {
    const replica = this.pick();
    if (!replica?.dataSource) return work(this.primary);
    try {
      return await work(replica.dataSource);
    } catch (error) {
      if (isConnectionFailure(error)) this.markDown(replica, 'connection lost');
      // Whatever went wrong there (down, dropped connection, schema not caught up), the primary answers.
      return work(this.primary);
    }
  }

  /**
   * The TTL for a cached value loaded through `read()`: no longer than a replica may lag. A replica that had
   * not yet applied a write can answer a reader who already saw the writer's cache invalidation; its stale
   * copy then lives only as long as the replica itself could serve it.
   */
  cacheTtl(ttlMs: number): number {
    if (!this.configured) return ttlMs;
    return Math.min(ttlMs, Math.max(1, this.config.db.replicaMaxLagSeconds) * 1_000);
  }

  /** For readiness: each replica's last known state (`up`, `lagging`, `down`). */
  states(): Record<string, ReplicaState> {
    return Object.fromEntries(this.replicas.map((replica) => [replica.name, replica.state]));
  }

  onModuleInit(): void {
    if (!this.configured) return;
    // Not awaited: a replica that is slow to answer must not delay the boot (reads use the primary meanwhile).
    void this.checkAll();
    this.timer = setInterval(() => void this.checkAll(), CHECK_INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.checking;
    await Promise.all(this.replicas.map((replica) => replica.dataSource?.destroy().catch(() => undefined)));
  }

  private pick(): Replica | undefined {
    const usable = this.replicas.filter((replica) => replica.state.status === 'up');
    if (usable.length === 0) return undefined;
    return usable[this.next++ % usable.length];
  }

  /** One check of every replica at a time; a slow round is not overlapped by the next tick. */
  private checkAll(): Promise<void> {
    this.checking ??= Promise.all(this.replicas.map((replica) => this.check(replica))).then(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  private async check(replica: Replica): Promise<void> {
    try {
      const dataSource = await this.connect(replica);
      const rows = await withTimeout(
        leanQuery<Record<string, unknown>>(dataSource, 'SHOW REPLICA STATUS', []),
        CHECK_TIMEOUT_MS,
      );
      this.setState(replica, replicaStateOf(rows, this.config.db.replicaMaxLagSeconds));
    } catch (error) {
      this.setState(replica, { status: 'down', reason: codeOf(error) });
    }
  }

  /** The replica's own pool, created on first success (a replica down at boot does not stop the boot). */
  private async connect(replica: Replica): Promise<DataSource> {
    if (replica.dataSource) return replica.dataSource;
    const { target } = replica;
    // The primary's entities (a read may use repositories), none of its migrations (replicas replicate them).
    const schema = {
      entities: [...((this.primary.options.entities ?? []) as ModuleSchema['entities'])],
      migrations: [],
    };
    const dataSource = new DataSource({
      ...dataSourceOptions(this.config, schema),
      host: target.host,
      port: target.port,
      username: target.user,
      password: target.password,
      database: target.database,
    } as ReturnType<typeof dataSourceOptions>);
    await withTimeout(dataSource.initialize(), this.config.db.connectTimeoutMs).catch(async (error: unknown) => {
      await dataSource.destroy().catch(() => undefined);
      throw error;
    });
    enforceAcquireTimeout(dataSource, this.config.db.acquireTimeoutMs);
    replica.dataSource = dataSource;
    return dataSource;
  }

  private markDown(replica: Replica, reason: string): void {
    this.setState(replica, { status: 'down', reason });
  }

  private setState(replica: Replica, state: ReplicaState): void {
    const before = replica.state.status;
    replica.state = state;
    if (before === state.status) return;
    if (state.status === 'up') this.logger.log(`replica ${replica.name} is up: serving reads`);
    else this.logger.warn(`replica ${replica.name} is ${state.status} (${describe(state)}): reads go elsewhere`);
  }
}

function describe(state: ReplicaState): string {
  return state.status === 'down' ? state.reason : `${state.lagSeconds} s behind`;
}

function codeOf(error: unknown): string {
  // Codes only: readiness shows this, and messages may carry hosts or SQL.
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : 'unavailable';
}
