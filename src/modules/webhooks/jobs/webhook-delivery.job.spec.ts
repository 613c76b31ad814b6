import { describe, expect, it } from '@jest/globals';
import { wants } from '../services/endpoint-directory.service.js';
import { nextStep } from './webhook-delivery.job.js';

const SCHEDULE = [60_000, 300_000];
const ok = { ok: true, statusCode: 200, error: null };
const failed = { ok: false, statusCode: 500, error: null };

describe('nextStep', () => {
  it('delivered on a 2xx, whatever came before', () => {
    expect(nextStep(ok, 5, SCHEDULE, 0)).toEqual({ status: 'delivered', nextAttemptAt: null });
  });

  it('retries after each delay of the schedule, then fails', () => {
    expect(nextStep(failed, 0, SCHEDULE, 1_000)).toEqual({ status: 'pending', nextAttemptAt: new Date(61_000) });
    expect(nextStep(failed, 1, SCHEDULE, 1_000)).toEqual({ status: 'pending', nextAttemptAt: new Date(301_000) });
    expect(nextStep(failed, 2, SCHEDULE, 1_000)).toEqual({ status: 'failed', nextAttemptAt: null });
    // A manual redelivery of a failed delivery is one more attempt, then failed again.
    expect(nextStep(failed, 3, SCHEDULE, 1_000)).toEqual({ status: 'failed', nextAttemptAt: null });
  });
});

describe('wants', () => {
  it('matches the type or "*"', () => {
    expect(wants(['*'], 'order.create')).toBe(true);
    expect(wants(['order.create'], 'order.create')).toBe(true);
    expect(wants(['order.refund'], 'order.create')).toBe(false);
  });
});
