import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ReservationItem } from '../entities/reservation-item.entity.js';
import { Reservation, type ReservationStatus } from '../entities/reservation.entity.js';
import { affectedRows } from '../../../infrastructure/database/sql.js';

@Injectable()
export class ReservationRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, reservation: Reservation, items: ReservationItem[]): Promise<void> {
    await manager.insert(Reservation, reservation);
    await manager.insert(ReservationItem, items);
  }

  async findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<Reservation | undefined> {
    return (await manager.findOneBy(Reservation, { id })) ?? undefined;
  }

  /** Items in product-id order: the order every stock change walks them in. */
  async items(reservationId: string, manager: EntityManager = this.dataSource.manager): Promise<ReservationItem[]> {
    return manager.find(ReservationItem, { where: { reservationId }, order: { productId: 'ASC' } });
  }

  /**
   * pending → `to`, conditional on the row still being pending, no order paying for it (a checkout
   * hold), and, for client transitions, not yet past its expiry (for the sweeper, past it). Exactly
   * one of several racing transitions gets 1 row.
   */
  async transition(
    manager: EntityManager,
    id: string,
    to: Exclude<ReservationStatus, 'pending'>,
    now: Date,
  ): Promise<boolean> {
    const expiry = to === 'expired' ? 'expires_at <= ?' : 'expires_at > ?';
    const result = await manager.query(
      `UPDATE reservations SET status = ?, updated_at = ?
       WHERE id = ? AND status = 'pending' AND checkout_order_id IS NULL AND ${expiry}`,
      [to, now, id, now],
    );
    return affectedRows(result) === 1;
  }

  /**
   * Takes the checkout hold for `orderId`: only on the owner's pending, unexpired, unheld reservation.
   * While held, nothing else can end the reservation, so an order racing the expiry either holds it
   * (and then pays or lets go) or finds it expired (and charges nothing).
   */
  async hold(manager: EntityManager, id: string, userId: string, orderId: string, now: Date): Promise<boolean> {
    const result = await manager.query(
      `UPDATE reservations SET checkout_order_id = ?, updated_at = ?
       WHERE id = ? AND user_id = ? AND status = 'pending' AND checkout_order_id IS NULL AND expires_at > ?`,
      [orderId, now, id, userId, now],
    );
    return affectedRows(result) === 1;
  }

  /** Lets go of the hold (payment declined): the reservation is pending again (and may expire). */
  async unhold(manager: EntityManager, id: string, orderId: string, now: Date): Promise<boolean> {
    const result = await manager.query(
      `UPDATE reservations SET checkout_order_id = NULL, updated_at = ?
       WHERE id = ? AND status = 'pending' AND checkout_order_id = ?`,
      [now, id, orderId],
    );
    return affectedRows(result) === 1;
  }

  /** pending → committed for the order holding it (expiry no longer matters: the hold was taken in time). */
  async commitHeld(manager: EntityManager, id: string, orderId: string, now: Date): Promise<boolean> {
    const result = await manager.query(
      `UPDATE reservations SET status = 'committed', checkout_order_id = NULL, updated_at = ?
       WHERE id = ? AND status = 'pending' AND checkout_order_id = ?`,
      [now, id, orderId],
    );
    return affectedRows(result) === 1;
  }

  /**
   * Locks the user's holder row (creating it on first use) until the transaction ends: a customer's
   * reservations are counted and inserted one at a time, whatever the concurrency or instance count.
   */
  async lockHolder(manager: EntityManager, userId: string, now: Date): Promise<void> {
    await manager.query(
      'INSERT INTO reservation_holders (user_id, locked_at) VALUES (?, ?) ON DUPLICATE KEY UPDATE locked_at = VALUES(locked_at)',
      [userId, now],
    );
  }

  /** The user's reservations still pending and not yet due (served by idx_reservations_user_status). */
  async countPending(manager: EntityManager, userId: string, now: Date): Promise<number> {
    const [row] = (await manager.query(
      `SELECT COUNT(*) AS n FROM reservations WHERE user_id = ? AND status = 'pending' AND expires_at > ?`,
      [userId, now],
    )) as { n: number | string }[];
    return Number(row.n);
  }

  /** Pending reservations past expiry and not held by a checkout, oldest first (idx_reservations_status_expires). */
  async dueIds(now: Date, limit: number): Promise<string[]> {
    const rows = (await this.dataSource.query(
      `SELECT id FROM reservations
       WHERE status = 'pending' AND expires_at <= ? AND checkout_order_id IS NULL ORDER BY expires_at LIMIT ?`,
      [now, limit],
    )) as { id: string }[];
    return rows.map((row) => row.id);
  }
}
