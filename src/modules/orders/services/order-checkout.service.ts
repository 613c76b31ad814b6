import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { notFound } from '../../../common/errors/domain-error.js';
import { newId } from '../../../common/ids.js';
import { TransactionService } from '../../../infrastructure/database/transaction.service.js';
import type { AuthenticatedActor } from '../../../infrastructure/http/request-context.js';
import { AuditService } from '../../audit/index.js';
import { InventoryErrors, ReservationCheckoutService } from '../../inventory/index.js';
import { type PaymentIntent, PaymentIntents } from '../../payments/index.js';
import { CoPurchaseService } from '../../recommendations/index.js';
import { type CreateOrderBody, mapOrder, type OrderResponse } from '../dto/order.dto.js';
import { OrderLine } from '../entities/order-line.entity.js';
import type { Order } from '../entities/order.entity.js';
import { OrderErrors } from '../orders.errors.js';
import { OrderRepository } from '../repositories/order.repository.js';

/** The charge's idempotency key: one per order, so a retried or reconciled charge never moves money twice. */
export const orderChargeKey = (orderId: string) => `order:${orderId}`;

/**
 * Checkout, all-or-nothing, through the payments module's intent flow (no gateway call inside a transaction):
 * 1. one transaction takes the reservation's checkout hold (only a pending, unexpired reservation of the
 *    caller; of concurrent checkouts exactly one gets it), inserts the order `pending` and its payment intent;
 * 2. `PaymentIntents.execute` charges the gateway outside any transaction;
 * 3. in the transaction that records the outcome, our applier (`applyPayment`, registered at start) moves
 *    the order: paid → the held reservation is committed (stock leaves), co-purchase counts go up,
 *    `order.create` audited; declined → the order is `failed`, the hold let go (the reservation is pending
 *    again, stock untouched) and the caller gets 402.
 * If the process stops between 1 and 3, the payments reconcile job finishes the intent and calls the
 * same applier, so the reservation never stays held and money is never taken twice or lost.
 */
@Injectable()
export class OrderCheckoutService implements OnModuleInit {
  constructor(
    private readonly orders: OrderRepository,
    private readonly checkout: ReservationCheckoutService,
    private readonly coPurchases: CoPurchaseService,
    private readonly intents: PaymentIntents,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.intents.registerApplier('order', (manager, intent) => this.applyPayment(manager, intent));
  }

  async create(actor: AuthenticatedActor, dto: CreateOrderBody): Promise<OrderResponse> {
    const reservation = await this.checkout.find(dto.reservationId);
    if (!reservation || reservation.userId !== actor.id) throw notFound('Reservation');
    if (reservation.status !== 'pending') throw InventoryErrors.reservationNotPending(reservation.status);
    if (reservation.checkoutOrderId !== null) throw InventoryErrors.checkoutInProgress();

    const priced = await this.checkout.prices(reservation.items.map((item) => item.productId));
    const prices = new Map(priced.map((product) => [product.productId, product]));
    const currencies = [...new Set(priced.map((product) => product.currency))];
    if (currencies.length > 1) throw OrderErrors.mixedCurrencies(currencies);
    const now = new Date();
    const orderId = newId();
    const lines = reservation.items.map((item) =>
      Object.assign(new OrderLine(), {
        orderId,
        productId: item.productId,
        quantity: item.quantity,
        unitPriceCents: prices.get(item.productId)?.priceCents ?? 0,
      }),
    );
    const totalCents = lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0);
    const currency = currencies[0] ?? 'USD';

    const intentId = await this.tx.run(async (manager) => {
      if (!(await this.checkout.hold(manager, reservation.id, actor.id, orderId, now))) {
        const current = await this.checkout.find(reservation.id, manager);
        if (current?.status === 'pending' && current.checkoutOrderId !== null)
          throw InventoryErrors.checkoutInProgress();
        throw InventoryErrors.reservationNotPending(current?.status ?? 'gone');
      }
      const intent = await this.intents.create(manager, {
        purpose: 'order',
        referenceId: orderId,
        userId: actor.id,
        amountCents: totalCents,
        currency,
        paymentMethod: dto.paymentMethod,
        reason: 'one_off',
        idempotencyKey: orderChargeKey(orderId),
      });
      const order: Order = {
        id: orderId,
        userId: actor.id,
        reservationId: reservation.id,
        status: 'pending',
        totalCents,
        refundedCents: 0,
        currency,
        paymentIntentId: intent.id,
        declineCode: null,
        paidAt: null,
        restockedAt: null,
        createdAt: now,
        updatedAt: now,
      };
      await this.orders.insert(manager, order, lines);
      return intent.id;
    });

    // 503 when the gateway does not answer: the intent (and the hold) stay pending for the reconcile job.
    await this.intents.execute(intentId);
    const settled = await this.orders.findById(orderId);
    if (!settled) throw new Error(`order ${orderId} vanished`);
    if (settled.status === 'failed') throw OrderErrors.paymentDeclined(orderId, settled.declineCode ?? 'declined');
    if (settled.status === 'pending') throw OrderErrors.paymentPending(orderId);
    const productIds = lines.map((line) => line.productId);
    await this.checkout.invalidate(productIds);
    await this.coPurchases.changed(actor.id, productIds);
    return mapOrder(settled, lines);
  }

  /**
   * Step 3, inside the payments module's transaction that records the outcome (once per intent), also
   * when the reconcile job finishes an interrupted checkout. Caches are dropped by the request after
   * it returns; after a reconcile they catch up within their TTL.
   */
  async applyPayment(manager: EntityManager, intent: PaymentIntent): Promise<void> {
    const order = await this.orders.findById(intent.referenceId, manager);
    if (!order || order.status !== 'pending') return;
    const now = new Date();
    if (intent.status === 'succeeded') {
      if (!(await this.orders.settle(manager, order.id, { status: 'paid', paidAt: now }, now))) return;
      const items = await this.checkout.commitHeld(manager, order.reservationId, order.id, now);
      await this.coPurchases.orderPaid(
        manager,
        order.userId,
        items.map((item) => item.productId),
      );
      await this.recordCreate(manager, order, 'success');
      return;
    }
    const declineCode = intent.declineCode ?? intent.status;
    if (!(await this.orders.settle(manager, order.id, { status: 'failed', declineCode }, now))) return;
    await this.checkout.unhold(manager, order.reservationId, order.id, now);
    await this.recordCreate(manager, order, 'failure', declineCode);
  }

  private recordCreate(
    manager: EntityManager,
    order: Order,
    outcome: 'success' | 'failure',
    declineCode?: string,
  ): Promise<void> {
    return this.audit.record(manager, {
      action: 'order.create',
      entityType: 'order',
      entityId: order.id,
      // The request's actor when it runs in the request; "system" when the reconcile job finishes it.
      outcome,
      changes: {
        reservationId: order.reservationId,
        totalCents: order.totalCents,
        currency: order.currency,
        status: outcome === 'success' ? 'paid' : 'failed',
        ...(declineCode !== undefined ? { declineCode } : {}),
      },
    });
  }
}
