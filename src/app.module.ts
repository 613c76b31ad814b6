import { type DynamicModule, type ForwardReference, Module, type Type, ValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { AccessControlModule } from './common/auth/access-control.module.js';
import { IdempotencyModule } from './common/idempotency/idempotency.module.js';
import { ProblemFilter } from './common/errors/problem.filter.js';
import { validationPipeOptions } from './common/errors/validation.js';
import { AnalyticsModule } from './modules/analytics/analytics.module.js';
import { AuditModule } from './modules/audit/audit.module.js';
import { AuthModule } from './modules/auth/auth.module.js';
import { InventoryModule } from './modules/inventory/inventory.module.js';
import { PaymentsModule } from './modules/payments/payments.module.js';
import { SubscriptionsModule } from './modules/subscriptions/subscriptions.module.js';
import { CacheModule } from './infrastructure/cache/cache.module.js';
import { DatabaseModule } from './infrastructure/database/database.module.js';
import { HealthModule } from './infrastructure/health/health.module.js';
import { MetricsModule } from './infrastructure/metrics/metrics.module.js';

export type ModuleImport = Type | DynamicModule | Promise<DynamicModule> | ForwardReference;

/** Composition root: infrastructure first, then the domain modules. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, extraImports: ModuleImport[] = []): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        CacheModule,
        HealthModule,
        MetricsModule,
        IdempotencyModule,
        AccessControlModule,
        ScheduleModule.forRoot(),
        AuditModule,
        AuthModule,
        InventoryModule,
        PaymentsModule,
        SubscriptionsModule,
        AnalyticsModule,
        ...extraImports,
      ],
      providers: [
        { provide: APP_PIPE, useValue: new ValidationPipe(validationPipeOptions) },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
    };
  }
}
