import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { enforceAcquireTimeout } from './acquire-timeout.js';
import { dataSourceOptions } from './data-source-options.js';
import { runMigrationsLocked } from './prepare-database.js';
import { TransactionService } from './transaction.service.js';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ ...dataSourceOptions(config), retryAttempts: 0 }),
    }),
  ],
  providers: [
    TransactionService,
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
  ],
  exports: [TransactionService],
})
export class DatabaseModule {}
