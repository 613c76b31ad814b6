import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const MRR_MOVEMENT_KINDS = ['new', 'expansion', 'contraction', 'churn', 'reactivation'] as const;
export type MrrMovementKind = (typeof MRR_MOVEMENT_KINDS)[number];

/**
 * The append-only MRR ledger: one row per change of a subscription's monthly recurring revenue,
 * written in the transaction of that change. `amountCents` is a positive magnitude; `kind` gives the
 * direction (new, expansion, reactivation add; contraction, churn subtract). Per currency, the signed
 * sum of all rows up to an instant is the MRR at that instant.
 */
@Entity('mrr_movements')
// Covering index of the bucket queries: a currency's rows in time order, with kind and amount in the index.
@Index('idx_mrr_movements_bucket', ['currency', 'occurredAt', 'kind', 'amountCents'])
@Index('idx_mrr_movements_subscription', ['subscriptionId', 'occurredAt'])
export class MrrMovement {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ name: 'subscription_id', type: 'char', length: 36 })
  subscriptionId: string;

  @Column({ name: 'user_id', type: 'char', length: 36 })
  userId: string;

  @Column({ type: 'enum', enum: MRR_MOVEMENT_KINDS })
  kind: MrrMovementKind;

  @Column({ name: 'amount_cents', type: 'int' })
  amountCents: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ name: 'occurred_at', type: 'datetime', precision: 3 })
  occurredAt: Date;
}
