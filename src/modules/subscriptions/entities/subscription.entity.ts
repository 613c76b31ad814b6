import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { SubscriptionStatus } from '../domain/subscription-state-machine.js';
import { SUBSCRIPTION_STATUSES } from '../domain/subscription-state-machine.js';

@Entity('subscriptions')
@Index('uq_subscriptions_live_key', ['liveKey'], { unique: true })
@Index('idx_subscriptions_user', ['userId', 'id'])
@Index('idx_subscriptions_due', ['status', 'currentPeriodEnd'])
@Index('idx_subscriptions_status', ['status', 'id'])
@Index('idx_subscriptions_canceled_at', ['canceledAt'])
@Index('idx_subscriptions_plan', ['planId', 'status'])
@Index('idx_subscriptions_resumes', ['status', 'resumesAt'])
export class Subscription {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ name: 'user_id', type: 'char', length: 36 })
  userId: string;

  @Column({ name: 'plan_id', type: 'char', length: 36 })
  planId: string;

  @Column({ type: 'enum', enum: SUBSCRIPTION_STATUSES })
  status: SubscriptionStatus;

  /** The gateway's payment-method token (a reference, not card data). Never logged, never returned. */
  @Column({ name: 'payment_method', type: 'varchar', length: 128 })
  paymentMethod: string;

  /** The rate locked for the current period (plan price when the period started), minor units. */
  @Column({ name: 'price_cents', type: 'int' })
  priceCents: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ name: 'current_period_start', type: 'datetime', precision: 3, nullable: true })
  currentPeriodStart: Date | null;

  @Column({ name: 'current_period_end', type: 'datetime', precision: 3, nullable: true })
  currentPeriodEnd: Date | null;

  @Column({ name: 'trial_end', type: 'datetime', precision: 3, nullable: true })
  trialEnd: Date | null;

  @Column({ name: 'cancel_at_period_end', type: 'boolean' })
  cancelAtPeriodEnd: boolean;

  @Column({ name: 'canceled_at', type: 'datetime', precision: 3, nullable: true })
  canceledAt: Date | null;

  /** First successful payment; null until then (the simulated `pm_card_fail_next` keys on it). */
  @Column({ name: 'activated_at', type: 'datetime', precision: 3, nullable: true })
  activatedAt: Date | null;

  /** Dunning: failed charges of the pending renewal invoice. */
  @Column({ name: 'failed_attempts', type: 'int' })
  failedAttempts: number;

  @Column({ name: 'next_retry_at', type: 'datetime', precision: 3, nullable: true })
  nextRetryAt: Date | null;

  /** The open renewal invoice dunning retries. */
  @Column({ name: 'pending_invoice_id', type: 'char', length: 36, nullable: true })
  pendingInvoiceId: string | null;

  /** Credit from downgrades, taken off the next invoices. */
  @Column({ name: 'credit_cents', type: 'int' })
  creditCents: number;

  /**
   * `userId:planId` while the subscription is live (or being created), NULL otherwise. UNIQUE, and
   * MySQL allows any number of NULLs: the database itself keeps one live subscription per user and plan.
   */
  @Column({ name: 'live_key', type: 'varchar', length: 80, nullable: true })
  liveKey: string | null;

  /** Period ends are anchor + k intervals (clamped to the month's last day): Jan 31 → Feb 28 → Mar 31. */
  @Column({ name: 'billing_anchor', type: 'datetime', precision: 3, nullable: true })
  billingAnchor: Date | null;

  /** What was really paid for the rest of the current period as of `periodPaidFrom` (proration credit). */
  @Column({ name: 'period_paid_cents', type: 'int', default: 0 })
  periodPaidCents: number;

  @Column({ name: 'period_paid_from', type: 'datetime', precision: 3, nullable: true })
  periodPaidFrom: Date | null;

  /** The payment intent in flight: while set, renewals leave the row alone and money-moving calls wait for it. */
  @Column({ name: 'charge_intent_id', type: 'char', length: 36, nullable: true })
  chargeIntentId: string | null;

  /** A renewal found the items out of stock (not a payment failure): retried at each run. */
  @Column({ name: 'awaiting_stock_at', type: 'datetime', precision: 3, nullable: true })
  awaitingStockAt: Date | null;

  /** The card was refused for good (`card_declined`): no automatic retries until the payment method changes. */
  @Column({ name: 'hard_declined', type: 'boolean', default: false })
  hardDeclined: boolean;

  /** A paused subscription resumes by itself at this time (renewal run), if set. */
  @Column({ name: 'resumes_at', type: 'datetime', precision: 3, nullable: true })
  resumesAt: Date | null;

  @Column({ type: 'int' })
  version: number;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}
