import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';

/**
 * The one way to run background work. A job is a provider in `<module>/jobs/` that calls
 * `every(...)` from `onApplicationBootstrap` and keeps its one-run method public (tests and admin
 * routes call it directly). Jobs must be safe on several instances at once.
 */
@Injectable()
export class JobScheduler implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private readonly names: string[] = [];
  private readonly running = new Map<string, Promise<void>>();
  private stopped = false;

  constructor(
    private readonly scheduler: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Runs `work` every `intervalMs` on this instance when JOBS_ENABLED: never two runs of one job at
   * once (a tick while one runs is skipped), a failure is logged and the next tick tries again, and
   * shutdown stops the timer and waits for the run in progress.
   */
  every(name: string, intervalMs: number, work: () => Promise<unknown>): void {
    if (!this.config.jobs.enabled) return;
    const timer = setInterval(() => void this.runOnce(name, work), intervalMs);
    timer.unref(); // a timer alone never keeps the process up
    this.scheduler.addInterval(name, timer);
    this.names.push(name);
  }

  /** Before any module closes its connections: no new runs, and the current ones finish. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    for (const name of this.names) if (this.scheduler.doesExist('interval', name)) this.scheduler.deleteInterval(name);
    await Promise.all(this.running.values());
  }

  private async runOnce(name: string, work: () => Promise<unknown>): Promise<void> {
    if (this.stopped || this.running.has(name)) return;
    const run = Promise.resolve()
      .then(work)
      .then(
        () => undefined,
        (error: unknown) =>
          this.logger.error(`job ${name} failed: ${error instanceof Error ? error.message : String(error)}`),
      )
      .finally(() => this.running.delete(name));
    this.running.set(name, run);
    await run;
  }
}
