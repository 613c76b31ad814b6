import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { AppConfig } from '../../config/app-config.js';
import { JobScheduler } from './job-scheduler.js';

const EVERY = 1_000;

/** A job whose runs stay open until released, so overlap and shutdown can be observed. */
function controllableWork() {
  const releases: Array<(error?: Error) => void> = [];
  const work = jest.fn(
    () => new Promise<void>((resolve, reject) => releases.push((error) => (error ? reject(error) : resolve()))),
  );
  return { work, release: (error?: Error) => releases.shift()?.(error) };
}

describe('JobScheduler', () => {
  let registry: SchedulerRegistry;
  const scheduler = (enabled: boolean) => new JobScheduler(registry, { jobs: { enabled } } as unknown as AppConfig);
  const flush = async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };

  beforeEach(() => {
    jest.useFakeTimers();
    registry = new SchedulerRegistry();
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('does nothing when JOBS_ENABLED is false', async () => {
    const { work } = controllableWork();
    scheduler(false).every('job', EVERY, work);
    await jest.advanceTimersByTimeAsync(EVERY * 3);
    expect(work).not.toHaveBeenCalled();
    expect(registry.getIntervals()).toEqual([]);
  });

  it('never overlaps two runs of one job', async () => {
    const { work, release } = controllableWork();
    scheduler(true).every('job', EVERY, work);
    await jest.advanceTimersByTimeAsync(EVERY * 3);
    expect(work).toHaveBeenCalledTimes(1); // the 2nd and 3rd ticks found it running
    release();
    await flush();
    await jest.advanceTimersByTimeAsync(EVERY);
    expect(work).toHaveBeenCalledTimes(2);
  });

  it('logs a failed run and runs again on the next tick', async () => {
    const { work, release } = controllableWork();
    scheduler(true).every('job', EVERY, work);
    await jest.advanceTimersByTimeAsync(EVERY);
    release(new Error('boom'));
    await flush();
    expect(Logger.prototype.error).toHaveBeenCalledWith('job job failed: boom');
    await jest.advanceTimersByTimeAsync(EVERY);
    expect(work).toHaveBeenCalledTimes(2);
  });

  it('on shutdown stops the timer and waits for the run in progress', async () => {
    const { work, release } = controllableWork();
    const jobs = scheduler(true);
    jobs.every('job', EVERY, work);
    await jest.advanceTimersByTimeAsync(EVERY);
    let stopped = false;
    const stopping = jobs.beforeApplicationShutdown().then(() => (stopped = true));
    await flush();
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(registry.getIntervals()).toEqual([]);
    await jest.advanceTimersByTimeAsync(EVERY * 3);
    expect(work).toHaveBeenCalledTimes(1);
  });
});
