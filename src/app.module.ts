import { type DynamicModule, type ForwardReference, Module, type Type, ValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { AccessControlModule } from './common/auth/access-control.module.js';
import { RateLimitModule } from './common/rate-limit/rate-limit.module.js';
import { DomainEventsModule } from './common/events/domain-events.module.js';
import { JobsModule } from './common/jobs/jobs.module.js';
import { IdempotencyModule } from './common/idempotency/idempotency.module.js';
import { ProblemFilter } from './common/errors/problem.filter.js';
import { validationPipeOptions } from './common/errors/validation.js';
import { AuditModule } from './modules/audit/index.js';
import { AuthModule } from './modules/auth/index.js';
import { InventoryModule } from './modules/inventory/index.js';
import { OperationsModule } from './modules/operations/index.js';
import { SubscriptionsModule } from './modules/subscriptions/index.js';
import { OrdersModule } from './modules/orders/index.js';
import { PaymentsModule } from './modules/payments/index.js';
import { RecommendationsModule } from './modules/recommendations/index.js';
import { WebhooksModule } from './modules/webhooks/index.js';
import { CacheModule } from './infrastructure/cache/cache.module.js';
import { DatabaseModule } from './infrastructure/database/database.module.js';
import { HealthModule } from './infrastructure/health/health.module.js';
import { APP_SCHEMA } from './schema.js';

export type ModuleImport = Type | DynamicModule | Promise<DynamicModule> | ForwardReference;

/** Composition root: infrastructure first, then the domain modules. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, extraImports: ModuleImport[] = []): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(APP_SCHEMA),
        CacheModule,
        HealthModule,
        OperationsModule,
        DomainEventsModule,
        IdempotencyModule,
        AccessControlModule,
        // After AccessControlModule: global guards run in registration order (authenticate, then count).
        RateLimitModule,
        JobsModule,
        AuditModule,
        WebhooksModule,
        AuthModule,
        InventoryModule,
        PaymentsModule,
        SubscriptionsModule,
        RecommendationsModule,
        OrdersModule,
        ...extraImports,
      ],
      providers: [
        { provide: APP_PIPE, useValue: new ValidationPipe(validationPipeOptions) },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
    };
  }
}
