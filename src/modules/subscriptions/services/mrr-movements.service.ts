import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { MrrMovementRecorder } from '../../analytics/index.js';
import type { BillingInterval } from '../domain/billing-period.js';

export type MrrKind = 'new' | 'expansion' | 'contraction' | 'churn' | 'reactivation';

/** MRR of one subscription: the plan price per month, a yearly price / 12 rounded per subscription. */
export function monthlyCents(priceCents: number, interval: BillingInterval): number {
  return interval === 'year' ? Math.round(priceCents / 12) : priceCents;
}

export interface MrrChange {
  subscriptionId: string;
  userId: string;
  currency: string;
  occurredAt: Date;
}

/**
 * Writes the MRR movement of a change in the change's own transaction, through the analytics
 * module's `MrrMovementRecorder` (it owns `mrr_movements`). MRR counts `active` and `past_due` at
 * the plan price per month: activation → new, plan change → expansion/contraction, cancel taking
 * effect, dunning limit and pause → churn, resume → reactivation.
 */
@Injectable()
export class MrrMovements {
  constructor(private readonly recorder: MrrMovementRecorder) {}

  /** `kind` with a positive magnitude; nothing for 0. */
  async record(manager: EntityManager, change: MrrChange, kind: MrrKind, amountCents: number): Promise<void> {
    if (amountCents <= 0) return;
    await this.recorder.record(manager, { ...change, kind, amountCents });
  }

  /** A plan or price change of an MRR-counted subscription: expansion or contraction by the difference. */
  async recordDelta(manager: EntityManager, change: MrrChange, fromCents: number, toCents: number): Promise<void> {
    if (toCents > fromCents) await this.record(manager, change, 'expansion', toCents - fromCents);
    if (toCents < fromCents) await this.record(manager, change, 'contraction', fromCents - toCents);
  }
}
