import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { ChargeResult, RefundResult } from '../gateway/payment-gateway.js';
import { PaymentIntent } from '../entities/payment-intent.entity.js';
import { PaymentRefund } from '../entities/payment-refund.entity.js';

function affectedRows(result: unknown): number {
  if (Array.isArray(result)) return affectedRows(result[0]);
  return (result as { affectedRows?: number } | undefined)?.affectedRows ?? 0;
}

/** Every query on payment_intents and payment_refunds. */
@Injectable()
export class PaymentIntentRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts the intent unless its idempotency key exists; either way returns the stored row. */
  async insertOnce(manager: EntityManager, intent: PaymentIntent): Promise<PaymentIntent> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(PaymentIntent)
      .values(intent)
      .orUpdate(['idempotency_key'], ['idempotency_key'])
      .execute();
    return (await manager.findOneByOrFail(PaymentIntent, { idempotencyKey: intent.idempotencyKey })) as PaymentIntent;
  }

  findById(id: string, manager?: EntityManager): Promise<PaymentIntent | null> {
    return (manager ?? this.dataSource.manager).findOneBy(PaymentIntent, { id });
  }

  findForUpdate(manager: EntityManager, id: string): Promise<PaymentIntent | null> {
    return manager.findOne(PaymentIntent, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** pending → the gateway's answer; false when someone else recorded it first. */
  async settle(manager: EntityManager, id: string, result: ChargeResult, now: Date): Promise<boolean> {
    const outcome = await manager.query(
      `UPDATE payment_intents SET status = ?, gateway_reference = ?, decline_code = ?, settled_at = ?, updated_at = ?
        WHERE id = ? AND status = 'pending'`,
      [result.status, result.reference, result.status === 'declined' ? result.declineCode : null, now, now, id],
    );
    return affectedRows(outcome) === 1;
  }

  async stuckPending(olderThan: Date, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM payment_intents WHERE status = 'pending' AND created_at < ? ORDER BY created_at LIMIT ?`,
      [olderThan, limit],
    );
    return rows.map((row) => row.id);
  }

  async addRefunded(manager: EntityManager, intentId: string, deltaCents: number, now: Date): Promise<void> {
    await manager.query('UPDATE payment_intents SET refunded_cents = refunded_cents + ?, updated_at = ? WHERE id = ?', [
      deltaCents,
      now,
      intentId,
    ]);
  }

  findRefundByKey(idempotencyKey: string, manager?: EntityManager): Promise<PaymentRefund | null> {
    return (manager ?? this.dataSource.manager).findOneBy(PaymentRefund, { idempotencyKey });
  }

  async insertRefund(manager: EntityManager, refund: PaymentRefund): Promise<void> {
    await manager.insert(PaymentRefund, refund);
  }

  async settleRefund(manager: EntityManager, id: string, result: RefundResult, now: Date): Promise<boolean> {
    const outcome = await manager.query(
      `UPDATE payment_refunds SET status = ?, gateway_reference = ?, settled_at = ?, updated_at = ?
        WHERE id = ? AND status = 'pending'`,
      [result.status, result.status === 'succeeded' ? result.reference : null, now, now, id],
    );
    return affectedRows(outcome) === 1;
  }

  async stuckRefunds(olderThan: Date, limit: number): Promise<PaymentRefund[]> {
    return this.dataSource.manager
      .createQueryBuilder(PaymentRefund, 'r')
      .where("r.status = 'pending' AND r.created_at < :olderThan", { olderThan })
      .orderBy('r.created_at')
      .limit(limit)
      .getMany();
  }
}
