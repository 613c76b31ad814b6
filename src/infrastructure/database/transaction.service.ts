import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { requestContext } from '../http/request-context.js';
import { isDeadlock } from './mysql-errors.js';

type Hook = () => void;

/** The after-commit hooks of each open `run` attempt, by the attempt's manager. */
const pendingHooks = new WeakMap<EntityManager, Hook[]>();

/**
 * Runs `hook` once the transaction that `manager` belongs to has committed: never when it rolls
 * back, and of a transaction re-run after a deadlock only the committed attempt's hooks run.
 * `manager` must be the one `TransactionService.run` gave to `work` (anything else throws: a hook
 * that could never run is a bug). Hooks run in order, synchronously, before `run` resolves; one
 * that throws is logged and does not affect the others or the caller. Domain events use it
 * (common/events); prefer them to calling this directly.
 */
export function afterCommit(manager: EntityManager, hook: Hook): void {
  const hooks = pendingHooks.get(manager);
  if (hooks === undefined) throw new Error('afterCommit needs the manager of an open TransactionService.run');
  hooks.push(hook);
}

/**
 * The one way to run a state change: `work` runs in a transaction; a deadlock or lock-wait timeout
 * rolls it back and runs it again (bounded, with jittered backoff). `work` must therefore be
 * side-effect free outside the manager it is given: announce what happened with domain events
 * (published after commit), and do cache invalidation after `run` resolves.
 */
@Injectable()
export class TransactionService {
  private readonly logger = new Logger(TransactionService.name);

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const { result, hooks } = await this.runRetryingDeadlocks(work);
    for (const hook of hooks) {
      try {
        hook();
      } catch (error) {
        this.logger.error(`after-commit hook failed: ${error instanceof Error ? error.stack : String(error)}`);
      }
    }
    return result;
  }

  private async runRetryingDeadlocks<T>(work: (manager: EntityManager) => Promise<T>) {
    const retries = this.config.db.deadlockRetries;
    // E.g. an Idempotency-Key marked as used in the same commit as the change it guards.
    const hook = requestContext.current()?.transactionHook;
    for (let attempt = 0; ; attempt++) {
      // Fresh per attempt: a rolled-back attempt's hooks are dropped with it.
      const hooks: Hook[] = [];
      let attemptManager: EntityManager | undefined;
      try {
        const result = await this.dataSource.transaction('READ COMMITTED', async (manager) => {
          attemptManager = manager;
          pendingHooks.set(manager, hooks);
          const value = await work(manager);
          await hook?.beforeCommit(manager);
          return value;
        });
        hook?.afterCommit();
        return { result, hooks };
      } catch (error) {
        if (!isDeadlock(error) || attempt >= retries) throw error;
        this.logger.warn(`deadlock, retrying transaction (attempt ${attempt + 2} of ${retries + 1})`);
        await new Promise((resolve) => setTimeout(resolve, 5 * 2 ** attempt + Math.random() * 10));
      } finally {
        if (attemptManager !== undefined) pendingHooks.delete(attemptManager);
      }
    }
  }
}
