import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import { affectedRows } from '../../../infrastructure/database/sql.js';
import { OrderLine } from '../entities/order-line.entity.js';
import { OrderRefund, type RefundStatus } from '../entities/order-refund.entity.js';
import { Order, type OrderStatus, VISIBLE_ORDER_STATUSES } from '../entities/order.entity.js';

const VISIBLE = VISIBLE_ORDER_STATUSES.map((status) => `'${status}'`).join(', ');

/** Every query on orders, order_lines and order_refunds. State changes are conditional UPDATEs. */
@Injectable()
export class OrderRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, order: Order, lines: OrderLine[]): Promise<void> {
    await manager.insert(Order, order);
    await manager.insert(OrderLine, lines);
  }

  async findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<Order | undefined> {
    return (await manager.findOneBy(Order, { id })) ?? undefined;
  }

  /** The order row locked until the transaction ends (refunds of one order run one at a time). */
  async lockById(manager: EntityManager, id: string): Promise<Order | undefined> {
    return (await manager.findOne(Order, { where: { id }, lock: { mode: 'pessimistic_write' } })) ?? undefined;
  }

  /** Lines of several orders, by order id, in product-id order. */
  async lines(orderIds: readonly string[], manager = this.dataSource.manager): Promise<Map<string, OrderLine[]>> {
    const byOrder = new Map<string, OrderLine[]>(orderIds.map((id) => [id, []]));
    if (orderIds.length === 0) return byOrder;
    const rows = await manager.find(OrderLine, {
      where: { orderId: In([...orderIds]) },
      order: { orderId: 'ASC', productId: 'ASC' },
    });
    for (const row of rows) byOrder.get(row.orderId)?.push(row);
    return byOrder;
  }

  /** pending → paid or failed, once (the payments module applies each outcome once). */
  async settle(
    manager: EntityManager,
    id: string,
    outcome: { status: 'paid'; paidAt: Date } | { status: 'failed'; declineCode: string },
    now: Date,
  ): Promise<boolean> {
    const result = await manager.query(
      `UPDATE orders SET status = ?, decline_code = ?, paid_at = ?, updated_at = ? WHERE id = ? AND status = 'pending'`,
      [
        outcome.status,
        outcome.status === 'failed' ? outcome.declineCode : null,
        outcome.status === 'paid' ? outcome.paidAt : null,
        now,
        id,
      ],
    );
    return affectedRows(result) === 1;
  }

  /** Newest first, keyset on id (UUID v7), only orders a client may see. */
  async list(filter: { userId?: string; beforeId?: string; limit: number }): Promise<Order[]> {
    const query = this.dataSource.getRepository(Order).createQueryBuilder('o').where(`o.status IN (${VISIBLE})`);
    if (filter.userId !== undefined) query.andWhere('o.userId = :userId', { userId: filter.userId });
    if (filter.beforeId !== undefined) query.andWhere('o.id < :beforeId', { beforeId: filter.beforeId });
    return query.orderBy('o.id', 'DESC').limit(filter.limit).getMany();
  }

  /** refunded_cents += delta, only while it stays within 0…total (the CHECK constraint says the same). */
  async addRefunded(manager: EntityManager, id: string, delta: number, now: Date): Promise<boolean> {
    const result = await manager.query(
      `UPDATE orders SET refunded_cents = refunded_cents + ?, updated_at = ?
       WHERE id = ? AND refunded_cents + ? BETWEEN 0 AND total_cents`,
      [delta, now, id, delta],
    );
    return affectedRows(result) === 1;
  }

  /** Sets the status; false when it already was that status. */
  async setStatus(manager: EntityManager, id: string, status: OrderStatus, now: Date): Promise<boolean> {
    const result = await manager.query('UPDATE orders SET status = ?, updated_at = ? WHERE id = ? AND status <> ?', [
      status,
      now,
      id,
      status,
    ]);
    return affectedRows(result) === 1;
  }

  /** Marks the lines as returned to stock; false when they already were (restock happens once per order). */
  async markRestocked(manager: EntityManager, id: string, now: Date): Promise<boolean> {
    const result = await manager.query(
      'UPDATE orders SET restocked_at = ?, updated_at = ? WHERE id = ? AND restocked_at IS NULL',
      [now, now, id],
    );
    return affectedRows(result) === 1;
  }

  async insertRefund(manager: EntityManager, refund: OrderRefund): Promise<void> {
    await manager.insert(OrderRefund, refund);
  }

  async findRefund(id: string, manager: EntityManager = this.dataSource.manager): Promise<OrderRefund | undefined> {
    return (await manager.findOneBy(OrderRefund, { id })) ?? undefined;
  }

  /** pending → succeeded or failed, once. */
  async settleRefund(
    manager: EntityManager,
    id: string,
    status: Exclude<RefundStatus, 'pending'>,
    now: Date,
  ): Promise<boolean> {
    const result = await manager.query(
      `UPDATE order_refunds SET status = ?, completed_at = ? WHERE id = ? AND status = 'pending'`,
      [status, now, id],
    );
    return affectedRows(result) === 1;
  }
}
