import { Column, Entity, Index } from 'typeorm';
import type { ChargeReason } from '../gateway/payment-gateway.js';
import { GatewayOperation } from './gateway-operation.js';

export const PAYMENT_PURPOSES = ['subscription_invoice', 'order'] as const;
export type PaymentPurpose = (typeof PAYMENT_PURPOSES)[number];

/**
 * `pending` until the gateway's answer is applied: `succeeded`, `declined`, or `failed` (the gateway
 * never received it: nothing was charged).
 */
export const PAYMENT_INTENT_STATUSES = ['pending', 'succeeded', 'declined', 'failed'] as const;
export type PaymentIntentStatus = (typeof PAYMENT_INTENT_STATUSES)[number];

/**
 * One attempt to take money, committed BEFORE the gateway is called, with the idempotency key the
 * gateway gets: if the process dies between the charge and the recording of its result, the reconcile
 * job finds the intent still `pending` and asks the gateway what happened to that key.
 */
@Entity('payment_intents')
@Index('uq_payment_intents_key', ['idempotencyKey'], { unique: true })
@Index('idx_payment_intents_pending', ['status', 'createdAt'])
@Index('idx_payment_intents_reference', ['purpose', 'referenceId'])
@Index('idx_payment_intents_settled', ['settledAt'])
export class PaymentIntent extends GatewayOperation {
  @Column({ type: 'enum', enum: PAYMENT_PURPOSES })
  purpose: PaymentPurpose;

  /** The invoice id (subscription_invoice) or order id (order). */
  @Column({ name: 'reference_id', type: 'char', length: 36 })
  referenceId: string;

  @Column({ name: 'user_id', type: 'char', length: 36 })
  userId: string;

  /** The gateway's payment-method token (a reference, not card data). Never logged, never returned. */
  @Column({ name: 'payment_method', type: 'varchar', length: 128 })
  paymentMethod: string;

  @Column({ type: 'varchar', length: 32 })
  reason: ChargeReason;

  @Column({ type: 'enum', enum: PAYMENT_INTENT_STATUSES })
  status: PaymentIntentStatus;

  @Column({ type: 'varchar', length: 32 })
  gateway: string;

  @Column({ name: 'decline_code', type: 'varchar', length: 64, nullable: true })
  declineCode: string | null;

  /** Refunded or being refunded (pending refunds count: two refunds cannot both take the last cent). */
  @Column({ name: 'refunded_cents', type: 'int' })
  refundedCents: number;
}
