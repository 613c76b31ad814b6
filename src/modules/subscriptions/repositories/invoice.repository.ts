import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import { Invoice, type InvoiceStatus } from '../entities/invoice.entity.js';
import { PaymentAttempt } from '../entities/payment-attempt.entity.js';

/** Every query on `invoices` and `payment_attempts`. */
@Injectable()
export class InvoiceRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insertMany(manager: EntityManager, invoices: readonly Invoice[]): Promise<void> {
    if (invoices.length > 0) await manager.insert(Invoice, [...invoices]);
  }

  async insertAttempts(manager: EntityManager, attempts: readonly PaymentAttempt[]): Promise<void> {
    if (attempts.length > 0) await manager.insert(PaymentAttempt, [...attempts]);
  }

  async findByIds(manager: EntityManager, ids: readonly string[]): Promise<Map<string, Invoice>> {
    if (ids.length === 0) return new Map();
    const invoices = await manager.findBy(Invoice, { id: In([...ids]) });
    return new Map(invoices.map((invoice) => [invoice.id, invoice]));
  }

  findForUpdate(manager: EntityManager, id: string): Promise<Invoice | null> {
    return manager.findOne(Invoice, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async setStatus(
    manager: EntityManager,
    id: string,
    from: InvoiceStatus,
    to: InvoiceStatus,
    now: Date,
  ): Promise<void> {
    await manager.update(
      Invoice,
      { id, status: from },
      { status: to, paidAt: to === 'paid' ? now : null, updatedAt: now },
    );
  }

  /** Voids what a canceled subscription still owes. */
  async voidOpen(manager: EntityManager, subscriptionId: string, now: Date): Promise<void> {
    await manager.update(Invoice, { subscriptionId, status: 'open' }, { status: 'void', updatedAt: now });
  }

  /** Newest first, keyset on id (idx_invoices_subscription). */
  list(subscriptionId: string, limit: number, beforeId?: string): Promise<Invoice[]> {
    const query = this.dataSource.manager
      .createQueryBuilder(Invoice, 'i')
      .where('i.subscription_id = :subscriptionId', { subscriptionId })
      .orderBy('i.id', 'DESC')
      .limit(limit + 1);
    if (beforeId) query.andWhere('i.id < :beforeId', { beforeId });
    return query.getMany();
  }
}
