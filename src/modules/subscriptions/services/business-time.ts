import { AsyncLocalStorage } from 'node:async_hooks';

const runAt = new AsyncLocalStorage<Date>();

/**
 * The business time of the change being applied: a renewal run's `asOf` while that run (and the
 * charges it settles) is in progress, else the wall clock. MRR movements are dated by it, so a run
 * made `asOf` an instant (BILLING_TEST_CLOCK, or a run catching up) puts them in that instant's
 * bucket, not in the bucket of the moment the run happened to execute. Everything else a settlement
 * stamps (status times, invoices, retries, audit) keeps the wall clock: those are records of when the
 * system did something.
 */
export const businessTime = {
  run<T>(at: Date, work: () => Promise<T>): Promise<T> {
    return runAt.run(at, work);
  },
  now(): Date {
    return runAt.getStore() ?? new Date();
  },
};
