import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { assertOwnerOr } from '../../../common/auth/ownership.js';
import { hasPermission } from '../../../common/auth/permissions.js';
import { notFound } from '../../../common/errors/domain-error.js';
import { newId } from '../../../common/ids.js';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config.js';
import type { AuthenticatedActor } from '../../../infrastructure/http/request-context.js';
import { TransactionService } from '../../../infrastructure/database/transaction.service.js';
import { AuditService } from '../../audit/index.js';
import {
  type CreateReservationBody,
  DEFAULT_RESERVATION_TTL_SECONDS,
  effectiveStatus,
  mapReservation,
  type ReservationResponse,
} from '../dto/reservation.dto.js';
import { ReservationItem } from '../entities/reservation-item.entity.js';
import { Reservation } from '../entities/reservation.entity.js';
import type { MovementKind } from '../entities/stock-movement.entity.js';
import { InventoryErrors, type ShortItem } from '../inventory.errors.js';
import { ProductRepository } from '../repositories/product.repository.js';
import { ReservationRepository } from '../repositories/reservation.repository.js';
import { StockRepository } from '../repositories/stock.repository.js';
import { CatalogCacheService } from './catalog-cache.service.js';
import { normalizeItems } from './stock-items.js';

type Ending = 'committed' | 'released' | 'expired';

const ENDINGS: Record<Ending, { action: string; kind: MovementKind; onHand: boolean }> = {
  committed: { action: 'reservation.commit', kind: 'commit', onHand: true },
  released: { action: 'reservation.release', kind: 'release', onHand: false },
  expired: { action: 'reservation.expire', kind: 'expire', onHand: false },
};

const SWEEP_BATCH = 100;
const SWEEP_MAX_BATCHES = 50;

/**
 * Reservations hold stock (reserved += qty) until committed (the units leave on_hand), released or
 * expired (reserved −= qty). Each ending is a conditional UPDATE on `status = 'pending'`, so of any
 * racing endings exactly one moves the stock.
 */
@Injectable()
export class ReservationService {
  private readonly logger = new Logger(ReservationService.name);

  constructor(
    private readonly reservations: ReservationRepository,
    private readonly products: ProductRepository,
    private readonly stock: StockRepository,
    private readonly transactions: TransactionService,
    private readonly audit: AuditService,
    private readonly catalog: CatalogCacheService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(actor: AuthenticatedActor, dto: CreateReservationBody): Promise<ReservationResponse> {
    const lines = normalizeItems(dto.items);
    // Customers are limited (one customer must not be able to hold every unit); staff and admin are not.
    const limited = !hasPermission(actor.roles, 'inventory:write');
    if (limited) this.checkCustomerLimits(lines, dto.ttlSeconds);
    const ids = lines.map((line) => line.productId);
    const states = new Map((await this.products.stockStates(ids)).map((state) => [state.id, state]));
    const unknown = ids.filter((id) => !states.has(id));
    if (unknown.length > 0) throw InventoryErrors.unknownProducts(unknown);
    const inactive = ids.filter((id) => states.get(id)?.active === false);
    if (inactive.length > 0) throw InventoryErrors.productInactive(inactive);
    // Early refusal from committed stock (no lock): a sold-out product does not queue on its row lock.
    // Only a refusal is decided here; success is decided by the conditional UPDATEs below.
    const clearlyShort = lines
      .map((line) => ({ ...line, available: states.get(line.productId)?.available ?? 0 }))
      .filter((line) => line.available < line.quantity);
    if (clearlyShort.length > 0) {
      throw InventoryErrors.outOfStock(
        clearlyShort.map((line) => ({
          productId: line.productId,
          requested: line.quantity,
          available: Math.max(0, line.available),
        })),
      );
    }

    const now = new Date();
    const reservation = Object.assign(new Reservation(), {
      id: newId(),
      userId: actor.id,
      status: 'pending' as const,
      expiresAt: new Date(now.getTime() + (dto.ttlSeconds ?? DEFAULT_RESERVATION_TTL_SECONDS) * 1000),
      createdAt: now,
      updatedAt: now,
    });
    const items = lines.map((line) => Object.assign(new ReservationItem(), { reservationId: reservation.id, ...line }));

    await this.transactions.run(async (manager) => {
      if (limited) await this.checkPendingLimit(manager, actor.id, now);
      // Every line is tried (in product-id order) so a refusal names all short items; any refusal
      // rolls the whole transaction back.
      const short: ShortItem[] = [];
      for (const line of lines) {
        if (await this.stock.reserve(manager, line.productId, line.quantity)) continue;
        const level = await this.stock.level(line.productId, manager);
        short.push({
          productId: line.productId,
          requested: line.quantity,
          available: level ? level.onHand - level.reserved : 0,
        });
      }
      if (short.length > 0) throw InventoryErrors.outOfStock(short);
      await this.reservations.insert(manager, reservation, items);
      await this.stock.appendMovements(
        manager,
        lines.map((line) => ({
          productId: line.productId,
          kind: 'reservation' as const,
          deltaOnHand: 0,
          deltaReserved: line.quantity,
          referenceType: 'reservation',
          referenceId: reservation.id,
        })),
        now,
      );
      await this.audit.record(manager, {
        action: 'reservation.create',
        entityType: 'reservation',
        entityId: reservation.id,
        changes: { items: lines, expiresAt: reservation.expiresAt },
      });
    });
    await this.catalog.invalidate(ids);
    return mapReservation(reservation, items, now);
  }

  private checkCustomerLimits(lines: readonly { quantity: number }[], ttlSeconds: number | undefined): void {
    const { reservationMaxQuantity, reservationMaxTtlSeconds } = this.config.inventory;
    if (lines.some((line) => line.quantity > reservationMaxQuantity)) {
      throw InventoryErrors.reservationLimit(`At most ${reservationMaxQuantity} units of a product per reservation`, {
        maxQuantity: reservationMaxQuantity,
      });
    }
    if (ttlSeconds !== undefined && ttlSeconds > reservationMaxTtlSeconds) {
      throw InventoryErrors.reservationLimit(`A reservation is held at most ${reservationMaxTtlSeconds} seconds`, {
        maxTtlSeconds: reservationMaxTtlSeconds,
      });
    }
  }

  /**
   * Inside the reservation's transaction, before any stock row is touched: the user's holder row is
   * locked, so the count and the insert that follows are one step for concurrent requests of one user
   * (a second request waits here until the first commits, then counts it).
   */
  private async checkPendingLimit(manager: EntityManager, userId: string, now: Date): Promise<void> {
    const max = this.config.inventory.reservationMaxPending;
    await this.reservations.lockHolder(manager, userId, now);
    if ((await this.reservations.countPending(manager, userId, now)) >= max) {
      throw InventoryErrors.reservationLimit(`At most ${max} pending reservations at once`, { maxPending: max });
    }
  }

  async get(actor: AuthenticatedActor, id: string): Promise<ReservationResponse> {
    const reservation = await this.visible(actor, id);
    return mapReservation(reservation, await this.reservations.items(id));
  }

  commit(actor: AuthenticatedActor, id: string): Promise<ReservationResponse> {
    return this.end(actor, id, 'committed');
  }

  release(actor: AuthenticatedActor, id: string): Promise<ReservationResponse> {
    return this.end(actor, id, 'released');
  }

  /**
   * Expires every pending reservation past its expiry (as of `now`) and returns its stock. Safe with
   * any number of sweepers at once: each reservation is claimed by the conditional status UPDATE, in
   * the same transaction that returns its stock, so the stock comes back exactly once.
   */
  async expireDue(now = new Date()): Promise<number> {
    let expired = 0;
    for (let batch = 0; batch < SWEEP_MAX_BATCHES; batch++) {
      const ids = await this.reservations.dueIds(now, SWEEP_BATCH);
      for (const id of ids) {
        try {
          if (await this.expireOne(id, now)) expired++;
        } catch (error) {
          this.logger.error(`could not expire reservation ${id}: ${(error as Error).message}`);
        }
      }
      if (ids.length < SWEEP_BATCH) break;
    }
    return expired;
  }

  private async expireOne(id: string, now: Date): Promise<boolean> {
    const items = await this.transactions.run((manager) => this.finish(manager, id, 'expired', now, 'system'));
    if (!items) return false;
    await this.catalog.invalidate(items.map((item) => item.productId));
    return true;
  }

  private async end(actor: AuthenticatedActor, id: string, to: 'committed' | 'released'): Promise<ReservationResponse> {
    const reservation = await this.visible(actor, id);
    const now = new Date();
    const items = await this.transactions.run((manager) => this.finish(manager, id, to, now));
    if (!items) {
      const current = await this.reservations.findById(id);
      if (current?.status === 'pending' && current.checkoutOrderId !== null) throw InventoryErrors.checkoutInProgress();
      throw InventoryErrors.reservationNotPending(current ? effectiveStatus(current, now) : 'gone');
    }
    await this.catalog.invalidate(items.map((item) => item.productId));
    return mapReservation({ ...reservation, status: to, updatedAt: now }, items, now);
  }

  /** The ending's whole write: claim (conditional), stock back or out, ledger, audit. Undefined if lost. */
  private async finish(
    manager: EntityManager,
    id: string,
    to: Ending,
    now: Date,
    actorId?: string,
  ): Promise<ReservationItem[] | undefined> {
    if (!(await this.reservations.transition(manager, id, to, now))) return undefined;
    return this.applyEnding(manager, id, to, now, actorId);
  }

  /**
   * For an order, inside its transaction: the reservation it holds (see ReservationCheckoutService)
   * is committed. Only the holder can end a held reservation, so this cannot lose a race.
   */
  async commitHeld(manager: EntityManager, id: string, orderId: string, now: Date): Promise<ReservationItem[]> {
    if (!(await this.reservations.commitHeld(manager, id, orderId, now))) {
      throw new Error(`reservation ${id} is not held by order ${orderId}`);
    }
    return this.applyEnding(manager, id, 'committed', now);
  }

  /** The stock side of an ending whose status change was just claimed: stock back or out, ledger, audit. */
  private async applyEnding(
    manager: EntityManager,
    id: string,
    to: Ending,
    now: Date,
    actorId?: string,
  ): Promise<ReservationItem[]> {
    const ending = ENDINGS[to];
    const items = await this.reservations.items(id, manager);
    for (const item of items) {
      const moved = ending.onHand
        ? await this.stock.commitReserved(manager, item.productId, item.quantity)
        : await this.stock.unreserve(manager, item.productId, item.quantity);
      // Unreachable while the invariants hold; refuse rather than write a ledger that does not add up.
      if (!moved) throw new Error(`stock of product ${item.productId} does not cover reservation ${id}`);
    }
    await this.stock.appendMovements(
      manager,
      items.map((item) => ({
        productId: item.productId,
        kind: ending.kind,
        deltaOnHand: ending.onHand ? -item.quantity : 0,
        deltaReserved: -item.quantity,
        referenceType: 'reservation',
        referenceId: id,
      })),
      now,
    );
    await this.audit.record(manager, {
      action: ending.action,
      entityType: 'reservation',
      entityId: id,
      changes: { status: { from: 'pending', to } },
      ...(actorId !== undefined ? { actorId } : {}),
    });
    return items;
  }

  private async visible(actor: AuthenticatedActor, id: string): Promise<Reservation> {
    const reservation = await this.reservations.findById(id);
    if (!reservation) throw notFound('Reservation');
    assertOwnerOr(actor, reservation.userId, 'inventory:read-all', 'Reservation');
    return reservation;
  }
}
