import { randomUUID } from 'node:crypto';
import type { TestApp } from './test-app.js';
import type { TestUser } from './users.js';

export interface PlanInput {
  code?: string;
  name?: string;
  priceCents?: number;
  currency?: string;
  interval?: 'month' | 'year';
  trialDays?: number;
  features?: string[];
  items?: { productId: string; quantity: number }[];
}

/** Creates a plan through the API (as `admin`) and returns its body. */
export async function createPlan(t: TestApp, admin: TestUser, input: PlanInput = {}) {
  const res = await t
    .http()
    .post('/api/v1/plans')
    .set(admin.auth)
    .send({
      code: input.code ?? `plan-${randomUUID().slice(0, 8)}`,
      name: input.name ?? 'Test plan',
      priceCents: input.priceCents ?? 1000,
      currency: input.currency ?? 'EUR',
      interval: input.interval ?? 'month',
      ...(input.trialDays !== undefined ? { trialDays: input.trialDays } : {}),
      ...(input.features !== undefined ? { features: input.features } : {}),
      ...(input.items !== undefined ? { items: input.items } : {}),
    });
  if (res.status !== 201) throw new Error(`plan creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; code: string; priceCents: number; interval: string; features: string[] };
}

export function subscribe(t: TestApp, user: TestUser, planId: string, paymentMethod = 'pm_card_ok') {
  return t.http().post('/api/v1/subscriptions').set(user.auth).send({ planId, paymentMethod });
}

export async function runRenewals(t: TestApp, admin: TestUser, asOf: Date) {
  const res = await t.http().post('/api/v1/billing/renewals/run').set(admin.auth).send({ asOf: asOf.toISOString() });
  if (res.status !== 200) throw new Error(`renewal run failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { processed: number; renewed: number; failed: number; ended: number };
}

export const DAY_MS = 86_400_000;
export const daysFromNow = (days: number) => new Date(Date.now() + days * DAY_MS);

export async function countRows(t: TestApp, sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await t.dataSource.query(sql, params);
  return Number(Object.values(row as Record<string, unknown>)[0]);
}

/**
 * `POST /subscriptions/:id/<action>` as `user` (cancel, pause, resume, reactivate, pay, change-plan): the
 * pending request, so the caller adds a body, an Idempotency-Key and the expected status.
 */
export function subscriptionAction(t: TestApp, user: TestUser, id: string, action: string) {
  return t.http().post(`/api/v1/subscriptions/${id}/${action}`).set(user.auth);
}

/** `PUT /subscriptions/:id/payment-method` as `user`: the pending request. */
export function setPaymentMethod(t: TestApp, user: TestUser, id: string, paymentMethod: string) {
  return t.http().put(`/api/v1/subscriptions/${id}/payment-method`).set(user.auth).send({ paymentMethod });
}
