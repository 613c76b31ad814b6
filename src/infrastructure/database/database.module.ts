import { type DynamicModule, Global, Inject, Module, type OnModuleDestroy } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { observePool } from '../metrics/metrics.js';
import { enforceAcquireTimeout } from './acquire-timeout.js';
import { dataSourceOptions } from './data-source-options.js';
import type { ModuleSchema } from './module-schema.js';
import { runMigrationsLocked } from './prepare-database.js';
import { ReadReplicas } from './read-replicas.service.js';
import { TransactionService } from './transaction.service.js';

const STOP_POOL_METRICS = Symbol('STOP_POOL_METRICS');

/** The database for the modules' schema (entities and migrations), given by the composition root. */
@Global()
@Module({})
export class DatabaseModule implements OnModuleDestroy {
  static forRoot(schema: ModuleSchema): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({ ...dataSourceOptions(config, schema), retryAttempts: 0 }),
        }),
      ],
      providers: [
        TransactionService,
        ReadReplicas,
        {
          // Runs once the DataSource exists and before anything serves: migrate, then bound pool waits.
          provide: 'DATABASE_READY',
          inject: [DataSource, APP_CONFIG],
          useFactory: async (dataSource: DataSource, config: AppConfig) => {
            if (config.db.migrateOnStart) await runMigrationsLocked(dataSource);
            enforceAcquireTimeout(dataSource, config.db.acquireTimeoutMs);
            return true;
          },
        },
        {
          provide: STOP_POOL_METRICS,
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => observePool(() => poolStats(dataSource)),
        },
      ],
      exports: [TransactionService, ReadReplicas],
    };
  }

  constructor(@Inject(STOP_POOL_METRICS) private readonly stopPoolMetrics: () => void) {}

  onModuleDestroy(): void {
    this.stopPoolMetrics();
  }
}

interface MysqlPool {
  _allConnections: { length: number };
  _freeConnections: { length: number };
  _connectionQueue: { length: number };
}

/** mysql2's pool has no public statistics; its three queues are the state. */
function poolStats(dataSource: DataSource) {
  const pool = (dataSource.driver as unknown as { pool?: MysqlPool }).pool;
  return {
    open: pool?._allConnections.length ?? 0,
    idle: pool?._freeConnections.length ?? 0,
    waiting: pool?._connectionQueue.length ?? 0,
  };
}
