import { Column, PrimaryColumn } from 'typeorm';

/**
 * What a charge (`payment_intents`) and a refund (`payment_refunds`) have in common, because they follow
 * one flow: the row is committed with the idempotency key the gateway gets before the gateway is called,
 * then settled with the gateway's reference (the reconcile jobs ask the gateway about rows still pending).
 * Not an entity: each table keeps its own status values, indexes and further columns (concrete-table
 * inheritance: the schema is the migrations', unchanged).
 */
export abstract class GatewayOperation {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ name: 'amount_cents', type: 'int' })
  amountCents: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 160 })
  idempotencyKey: string;

  @Column({ name: 'gateway_reference', type: 'varchar', length: 128, nullable: true })
  gatewayReference: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;

  /** When the outcome was applied (revenue and refunds are bucketed on it). */
  @Column({ name: 'settled_at', type: 'datetime', precision: 3, nullable: true })
  settledAt: Date | null;
}
