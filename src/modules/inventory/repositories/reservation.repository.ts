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
   * pending → `to`, conditional on the row still being pending (and, for client transitions, not yet
   * past its expiry; for the sweeper, past it). Exactly one of several racing transitions gets 1 row.
   */
  async transition(
    manager: EntityManager,
    id: string,
    to: Exclude<ReservationStatus, 'pending'>,
    now: Date,
  ): Promise<boolean> {
    const expiry = to === 'expired' ? 'expires_at <= ?' : 'expires_at > ?';
    const result = await manager.query(
      `UPDATE reservations SET status = ?, updated_at = ? WHERE id = ? AND status = 'pending' AND ${expiry}`,
      [to, now, id, now],
    );
    return affectedRows(result) === 1;
  }

  /** Pending reservations past expiry, oldest first (served by idx_reservations_status_expires). */
  async dueIds(now: Date, limit: number): Promise<string[]> {
    const rows = (await this.dataSource.query(
      `SELECT id FROM reservations WHERE status = 'pending' AND expires_at <= ? ORDER BY expires_at LIMIT ?`,
      [now, limit],
    )) as { id: string }[];
    return rows.map((row) => row.id);
  }
}
