import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { requestContext } from '../http/request-context.js';
import { isDeadlock } from './mysql-errors.js';

/**
 * The one way to run a state change: `work` runs in a transaction; a deadlock or lock-wait timeout
 * rolls it back and runs it again (bounded, with jittered backoff). `work` must therefore be
 * side-effect free outside the manager it is given; do cache invalidation after `run` resolves.
 */
@Injectable()
export class TransactionService {
  private readonly logger = new Logger(TransactionService.name);

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const retries = this.config.db.deadlockRetries;
    // E.g. an Idempotency-Key marked as used in the same commit as the change it guards.
    const hook = requestContext.current()?.transactionHook;
    for (let attempt = 0; ; attempt++) {
      try {
        if (!hook) return await this.dataSource.transaction('READ COMMITTED', work);
        const result = await this.dataSource.transaction('READ COMMITTED', async (manager) => {
          const value = await work(manager);
          await hook.beforeCommit(manager);
          return value;
        });
        hook.afterCommit();
        return result;
      } catch (error) {
        if (!isDeadlock(error) || attempt >= retries) throw error;
        this.logger.warn(`deadlock, retrying transaction (attempt ${attempt + 2} of ${retries + 1})`);
        await new Promise((resolve) => setTimeout(resolve, 5 * 2 ** attempt + Math.random() * 10));
      }
    }
  }
}
