import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type InvoiceStatus = 'open' | 'paid' | 'void';
export type BillingReason = 'subscription_create' | 'subscription_cycle' | 'subscription_update';

export interface InvoiceLine {
  description: string;
  amountCents: number;
  kind: 'plan' | 'proration_credit' | 'proration_charge' | 'credit_applied';
  planId?: string;
  periodStart?: string;
  periodEnd?: string;
}

@Entity('invoices')
@Index('idx_invoices_subscription', ['subscriptionId', 'id'])
export class Invoice {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ name: 'subscription_id', type: 'char', length: 36 })
  subscriptionId: string;

  @Column({ name: 'user_id', type: 'char', length: 36 })
  userId: string;

  @Column({ name: 'plan_id', type: 'char', length: 36 })
  planId: string;

  /** What is due, minor units (after credits); the price is stored per invoice. */
  @Column({ name: 'amount_cents', type: 'int' })
  amountCents: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ type: 'enum', enum: ['open', 'paid', 'void'] })
  status: InvoiceStatus;

  @Column({
    name: 'billing_reason',
    type: 'enum',
    enum: ['subscription_create', 'subscription_cycle', 'subscription_update'],
  })
  billingReason: BillingReason;

  @Column({ name: 'period_start', type: 'datetime', precision: 3 })
  periodStart: Date;

  @Column({ name: 'period_end', type: 'datetime', precision: 3 })
  periodEnd: Date;

  @Column({ type: 'simple-json' })
  lines: InvoiceLine[];

  @Column({ name: 'paid_at', type: 'datetime', precision: 3, nullable: true })
  paidAt: Date | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}
