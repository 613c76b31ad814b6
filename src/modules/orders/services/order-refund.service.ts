import { Inject, Injectable, Logger } from '@nestjs/common';
import { notFound } from '../../../common/errors/domain-error.js';
import { newId } from '../../../common/ids.js';
import { TransactionService } from '../../../infrastructure/database/transaction.service.js';
import { AuditService } from '../../audit/services/audit.service.js';
import { ReservationCheckoutService } from '../../inventory/services/reservation-checkout.service.js';
import { CoPurchaseService } from '../../recommendations/index.js';
import {
  PAYMENT_GATEWAY,
  type PaymentGateway,
  type RefundResult,
} from '../../subscriptions/payments/payment-gateway.js';
import type { OrderResponse, RefundOrderDto } from '../dto/order.dto.js';
import type { OrderRefund } from '../entities/order-refund.entity.js';
import { VISIBLE_ORDER_STATUSES } from '../entities/order.entity.js';
import { OrderErrors } from '../orders.errors.js';
import { OrderRepository } from '../repositories/order.repository.js';
import { OrderQueryService } from './order-query.service.js';

export const refundKey = (refundId: string) => `refund:${refundId}`;

/**
 * Refunds with the same intent discipline as checkout:
 * 1. under the order's row lock, the amount is taken from what is left (`refunded_cents` raised with a
 *    condition that it stays ≤ total) and a `pending` refund row is inserted: of two concurrent full
 *    refunds, the second finds nothing left (409) before any money moves;
 * 2. the gateway refunds, outside any transaction, with a key derived from the refund;
 * 3. one transaction applies it: the refund `succeeded`, the order's status, `restock` lines back on hand
 *    with `return` movements (once per order), co-purchase counts down when fully refunded, `order.refund`
 *    audited. A refused refund gives the amount back to what is left.
 */
@Injectable()
export class OrderRefundService {
  private readonly logger = new Logger(OrderRefundService.name);

  constructor(
    private readonly orders: OrderRepository,
    private readonly query: OrderQueryService,
    private readonly checkout: ReservationCheckoutService,
    private readonly coPurchases: CoPurchaseService,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    @Inject(PAYMENT_GATEWAY) private readonly gateway: PaymentGateway,
  ) {}

  async refund(orderId: string, dto: RefundOrderDto): Promise<OrderResponse> {
    const now = new Date();
    const refundId = newId();
    const { refund, chargeReference } = await this.tx.run(async (manager) => {
      const order = await this.orders.lockById(manager, orderId);
      if (!order || !(VISIBLE_ORDER_STATUSES as readonly string[]).includes(order.status)) throw notFound('Order');
      const left = order.totalCents - order.refundedCents;
      const amount = dto.amountCents ?? left;
      if (amount <= 0 || amount > left) throw OrderErrors.refundExceeds(left);
      if (!(await this.orders.addRefunded(manager, order.id, amount, now))) throw OrderErrors.refundExceeds(left);
      const pending: OrderRefund = {
        id: refundId,
        orderId: order.id,
        amountCents: amount,
        currency: order.currency,
        restock: dto.restock,
        status: 'pending',
        gatewayReference: null,
        createdAt: now,
        completedAt: null,
      };
      await this.orders.insertRefund(manager, pending);
      return { refund: pending, chargeReference: order.chargeReference ?? 'no_charge' };
    });

    let result: RefundResult;
    try {
      result = await this.send(refund, chargeReference);
    } catch (error) {
      this.logger.warn(`refund ${refund.id} of order ${orderId} failed: ${(error as Error).message}`);
      throw OrderErrors.paymentPending(orderId);
    }
    await this.apply(refund, result);
    if (result.status === 'failed') throw OrderErrors.refundFailed(result.reason);
    const order = await this.orders.findById(orderId);
    if (!order) throw notFound('Order');
    return this.query.withLines(order);
  }

  send(refund: OrderRefund, chargeReference: string): Promise<RefundResult> {
    if (chargeReference === 'no_charge') return Promise.resolve({ status: 'succeeded', reference: 'no_charge' });
    return this.gateway.refund({
      idempotencyKey: refundKey(refund.id),
      chargeReference,
      amountCents: refund.amountCents,
      currency: refund.currency,
    });
  }

  /** Step 3, once per refund (the request and the reconcile job may both try). */
  async apply(refund: OrderRefund, result: RefundResult): Promise<void> {
    const now = new Date();
    const changed = await this.tx.run(async (manager) => {
      const order = await this.orders.lockById(manager, refund.orderId);
      if (!order) return undefined;
      if (result.status === 'failed') {
        if (!(await this.orders.settleRefund(manager, refund.id, 'failed', null, now))) return undefined;
        await this.orders.addRefunded(manager, order.id, -refund.amountCents, now);
        return undefined;
      }
      if (!(await this.orders.settleRefund(manager, refund.id, 'succeeded', result.reference, now))) return undefined;
      const lines = (await this.orders.lines([order.id], manager)).get(order.id) ?? [];
      const productIds = lines.map((line) => line.productId);
      const full = order.refundedCents >= order.totalCents;
      const becameRefunded =
        (await this.orders.setStatus(manager, order.id, full ? 'refunded' : 'partially_refunded', now)) && full;
      const restocked = refund.restock && (await this.orders.markRestocked(manager, order.id, now));
      if (restocked) await this.checkout.restock(manager, lines, order.id, now);
      // A fully refunded order stops counting as bought together.
      if (becameRefunded) await this.coPurchases.orderRefunded(manager, order.userId, productIds);
      await this.audit.record(manager, {
        action: 'order.refund',
        entityType: 'order',
        entityId: order.id,
        changes: {
          refundId: refund.id,
          amountCents: refund.amountCents,
          refundedCents: order.refundedCents,
          status: full ? 'refunded' : 'partially_refunded',
          restocked,
        },
      });
      return { userId: order.userId, productIds, restocked, becameRefunded };
    });
    if (changed?.restocked) await this.checkout.invalidate(changed.productIds);
    if (changed?.becameRefunded) await this.coPurchases.changed(changed.userId, changed.productIds);
  }
}
