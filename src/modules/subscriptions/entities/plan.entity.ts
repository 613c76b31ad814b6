import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { BillingInterval } from '../domain/billing-period.js';

export interface PlanItem {
  productId: string;
  quantity: number;
}

@Entity('plans')
@Index('uq_plans_code', ['code'], { unique: true })
@Index('idx_plans_active', ['active', 'id'])
export class Plan {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 64 })
  code: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** The price of one interval, minor units. A change applies from each subscription's next period. */
  @Column({ name: 'price_cents', type: 'int' })
  priceCents: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ name: 'billing_interval', type: 'enum', enum: ['month', 'year'] })
  interval: BillingInterval;

  @Column({ name: 'trial_days', type: 'int' })
  trialDays: number;

  /** Entitlements granted to live subscribers. */
  @Column({ type: 'simple-json' })
  features: string[];

  /** Products shipped each paid period. */
  @Column({ type: 'simple-json' })
  items: PlanItem[];

  @Column({ type: 'boolean' })
  active: boolean;

  @Column({ type: 'int' })
  version: number;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}
