import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { notFound } from '../../../common/errors/domain-error.js';
import { newId } from '../../../common/ids.js';
import { TransactionService } from '../../../infrastructure/database/transaction.service.js';
import type { AuthenticatedActor } from '../../../infrastructure/http/request-context.js';
import { AuditService } from '../../audit/services/audit.service.js';
import { checkoutInProgress, reservationNotPending } from '../../inventory/inventory.errors.js';
import { ReservationCheckoutService } from '../../inventory/services/reservation-checkout.service.js';
import { CoPurchaseService } from '../../recommendations/index.js';
import {
  type ChargeResult,
  PAYMENT_GATEWAY,
  type PaymentGateway,
} from '../../subscriptions/payments/payment-gateway.js';
import { type CreateOrderDto, mapOrder, type OrderResponse } from '../dto/order.dto.js';
import { OrderLine } from '../entities/order-line.entity.js';
import { Order } from '../entities/order.entity.js';
import { OrderErrors } from '../orders.errors.js';
import { OrderRepository } from '../repositories/order.repository.js';

/** The charge's idempotency key: one per order, so a retried or reconciled charge never moves money twice. */
export const orderChargeKey = (orderId: string) => `order:${orderId}`;

/**
 * Checkout, all-or-nothing, with the payment-intent discipline (no gateway call inside a transaction):
 * 1. one transaction takes the reservation's checkout hold (only a pending, unexpired reservation of the
 *    caller; of concurrent checkouts exactly one gets it) and inserts the order `pending` (the intent);
 * 2. the gateway is charged, outside any transaction, with a key derived from the order;
 * 3. a second transaction applies the outcome: paid → the held reservation is committed (stock leaves),
 *    co-purchase counts go up, `order.create` is audited; declined → the order is `failed`, the hold is
 *    let go (the reservation is pending again, stock untouched) and the caller gets 402.
 * If the process stops between 1 and 3, OrderReconcileJob asks the gateway again with the same key and
 * applies the answer, so the reservation never stays held and money is never taken twice or lost.
 */
@Injectable()
export class OrderCheckoutService {
  private readonly logger = new Logger(OrderCheckoutService.name);

  constructor(
    private readonly orders: OrderRepository,
    private readonly checkout: ReservationCheckoutService,
    private readonly coPurchases: CoPurchaseService,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    @Inject(PAYMENT_GATEWAY) private readonly gateway: PaymentGateway,
  ) {}

  async create(actor: AuthenticatedActor, dto: CreateOrderDto): Promise<OrderResponse> {
    const reservation = await this.checkout.find(dto.reservationId);
    if (!reservation || reservation.userId !== actor.id) throw notFound('Reservation');
    if (reservation.status !== 'pending') throw reservationNotPending(reservation.status);
    if (reservation.checkoutOrderId !== null) throw checkoutInProgress();

    const prices = new Map(
      (await this.checkout.prices(reservation.items.map((i) => i.productId))).map((p) => [p.productId, p]),
    );
    const currencies = [...new Set([...prices.values()].map((p) => p.currency))];
    if (currencies.length > 1) throw OrderErrors.mixedCurrencies(currencies);
    const now = new Date();
    const order: Order = {
      id: newId(),
      userId: actor.id,
      reservationId: reservation.id,
      status: 'pending',
      totalCents: 0,
      refundedCents: 0,
      currency: currencies[0] ?? 'USD',
      paymentMethod: dto.paymentMethod,
      chargeReference: null,
      declineCode: null,
      paidAt: null,
      restockedAt: null,
      createdAt: now,
      updatedAt: now,
    };
    const lines = reservation.items.map((item) =>
      Object.assign(new OrderLine(), {
        orderId: order.id,
        productId: item.productId,
        quantity: item.quantity,
        unitPriceCents: prices.get(item.productId)?.priceCents ?? 0,
      }),
    );
    order.totalCents = lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0);

    await this.tx.run(async (manager) => {
      if (!(await this.checkout.hold(manager, reservation.id, actor.id, order.id, now))) {
        const current = await this.checkout.find(reservation.id, manager);
        if (current?.status === 'pending' && current.checkoutOrderId !== null) throw checkoutInProgress();
        throw reservationNotPending(current?.status ?? 'gone');
      }
      await this.orders.insert(manager, order, lines);
    });

    let result: ChargeResult;
    try {
      result = await this.charge(order);
    } catch (error) {
      // Outcome unknown (gateway unreachable): the reconcile job asks again with the same key.
      this.logger.warn(`charge of order ${order.id} failed: ${(error as Error).message}`);
      throw OrderErrors.paymentPending(order.id);
    }
    const settled = await this.apply(order, result);
    if (settled.status === 'failed') throw OrderErrors.paymentDeclined(order.id, settled.declineCode ?? 'declined');
    return mapOrder(settled, lines);
  }

  /** Asks the gateway (again): the same order always sends the same key, amount and method. */
  charge(order: Order): Promise<ChargeResult> {
    if (order.totalCents === 0) return Promise.resolve({ status: 'succeeded', reference: 'no_charge' });
    return this.gateway.charge({
      idempotencyKey: orderChargeKey(order.id),
      amountCents: order.totalCents,
      currency: order.currency,
      paymentMethod: order.paymentMethod,
      billingReason: 'order',
      description: `Order ${order.id}`,
    });
  }

  /**
   * Step 3: applies the gateway's answer to a pending order, once (the request and the reconcile job
   * may both try; the conditional `pending →` update lets one through). Returns the order as it stands.
   */
  async apply(order: Order, result: ChargeResult): Promise<Order> {
    const now = new Date();
    const productIds = await this.tx.run(async (manager) => {
      if (result.status === 'succeeded') {
        const paid = { status: 'paid' as const, chargeReference: result.reference, paidAt: now };
        if (!(await this.orders.settle(manager, order.id, paid, now))) return undefined;
        const items = await this.checkout.commitHeld(manager, order.reservationId, order.id, now);
        const ids = items.map((item) => item.productId);
        await this.coPurchases.orderPaid(manager, order.userId, ids);
        await this.recordCreate(manager, order, 'success');
        return ids;
      }
      const failed = { status: 'failed' as const, chargeReference: result.reference, declineCode: result.declineCode };
      if (!(await this.orders.settle(manager, order.id, failed, now))) return undefined;
      await this.checkout.unhold(manager, order.reservationId, order.id, now);
      await this.recordCreate(manager, order, 'failure', result.declineCode);
      return [];
    });
    if (productIds && productIds.length > 0) {
      await this.checkout.invalidate(productIds);
      await this.coPurchases.changed(order.userId, productIds);
    }
    const current = await this.orders.findById(order.id);
    if (!current) throw new Error(`order ${order.id} vanished`);
    return current;
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
