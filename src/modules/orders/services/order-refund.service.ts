import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainError, notFound } from '../../../common/errors/domain-error.js';
import { newId } from '../../../common/ids.js';
import { TransactionService } from '../../../infrastructure/database/transaction.service.js';
import { AuditService } from '../../audit/index.js';
import { ReservationCheckoutService } from '../../inventory/index.js';
import { type PaymentIntent, PaymentIntents, type PaymentRefund } from '../../payments/index.js';
import { CoPurchaseService } from '../../recommendations/index.js';
import type { OrderResponse, RefundOrderBody } from '../dto/order.dto.js';
import type { OrderRefund } from '../entities/order-refund.entity.js';
import { type Order, VISIBLE_ORDER_STATUSES } from '../entities/order.entity.js';
import { OrderErrors } from '../orders.errors.js';
import { OrderRepository } from '../repositories/order.repository.js';
import { OrderQueryService } from './order-query.service.js';

const KEY_PREFIX = 'order-refund:';
/** The payments module's refund key: derived from our refund row, so the applier finds the row again. */
export const orderRefundKey = (refundId: string) => `${KEY_PREFIX}${refundId}`;

const isVisible = (order: Order) => (VISIBLE_ORDER_STATUSES as readonly string[]).includes(order.status);

/**
 * Refunds through the payments module (same intent discipline as the charge):
 * 1. our `order_refunds` row (`pending`: amount, restock) commits;
 * 2. `PaymentIntents.refund` takes the amount from what is left of the charge under the intent's row lock
 *    (of two concurrent full refunds the second gets 409 before any money moves), asks the gateway outside
 *    any transaction, and records the outcome in a second transaction that calls our applier;
 * 3. the applier (`applyRefund`): the refund `succeeded`, `refundedCents` and the order's status,
 *    `restock` lines back on hand with `return` movements (once per order), co-purchase counts down when
 *    fully refunded, `order.refund` audited — all in that one transaction.
 */
@Injectable()
export class OrderRefundService implements OnModuleInit {
  constructor(
    private readonly orders: OrderRepository,
    private readonly query: OrderQueryService,
    private readonly checkout: ReservationCheckoutService,
    private readonly coPurchases: CoPurchaseService,
    private readonly intents: PaymentIntents,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.intents.registerRefundApplier('order', (manager, refund, intent) => this.applyRefund(manager, refund, intent));
  }

  async refund(orderId: string, dto: RefundOrderBody): Promise<OrderResponse> {
    const order = await this.orders.findById(orderId);
    if (!order || !isVisible(order)) throw notFound('Order');
    const left = order.totalCents - order.refundedCents;
    const amount = dto.amountCents ?? left;
    if (amount < 1 || amount > left) throw OrderErrors.refundExceeds(left);
    const now = new Date();
    const row: OrderRefund = {
      id: newId(),
      orderId,
      amountCents: amount,
      currency: order.currency,
      restock: dto.restock,
      status: 'pending',
      createdAt: now,
      completedAt: null,
    };
    await this.tx.run((manager) => this.orders.insertRefund(manager, row));

    let refund: PaymentRefund;
    try {
      refund = await this.intents.refund({
        intentId: order.paymentIntentId,
        amountCents: amount,
        idempotencyKey: orderRefundKey(row.id),
      });
    } catch (error) {
      // Refused before any money moved (a concurrent refund took what was left): our row is void.
      if (error instanceof DomainError && error.status === 409) {
        await this.tx.run((manager) => this.orders.settleRefund(manager, row.id, 'failed', new Date()));
        const current = await this.orders.findById(orderId);
        throw OrderErrors.refundExceeds(current ? current.totalCents - current.refundedCents : 0);
      }
      throw error; // 503: the refund stays pending for the payments reconcile job
    }
    if (refund.status === 'failed') throw OrderErrors.refundFailed('declined by the payment provider');
    const productIds = (await this.orders.lines([orderId])).get(orderId)?.map((line) => line.productId) ?? [];
    await this.checkout.invalidate(productIds);
    await this.coPurchases.changed(order.userId, productIds);
    const current = await this.orders.findById(orderId);
    if (!current) throw notFound('Order');
    return this.query.withLines(current);
  }

  /** Step 3, in the payments module's transaction that records the refund's outcome (once per refund). */
  async applyRefund(manager: EntityManager, refund: PaymentRefund, intent: PaymentIntent): Promise<void> {
    if (!refund.idempotencyKey.startsWith(KEY_PREFIX)) return;
    const row = await this.orders.findRefund(refund.idempotencyKey.slice(KEY_PREFIX.length), manager);
    if (!row || row.orderId !== intent.referenceId) return;
    const now = new Date();
    if (refund.status !== 'succeeded') {
      await this.orders.settleRefund(manager, row.id, 'failed', now);
      return;
    }
    if (!(await this.orders.settleRefund(manager, row.id, 'succeeded', now))) return;
    const order = await this.orders.lockById(manager, row.orderId);
    if (!order) return;
    // The payments module already capped refunds at the charge (= the order's total).
    if (!(await this.orders.addRefunded(manager, order.id, row.amountCents, now))) {
      throw new Error(`refund ${row.id} would take order ${order.id} past its total`);
    }
    const refundedCents = order.refundedCents + row.amountCents;
    const full = refundedCents >= order.totalCents;
    const status = full ? 'refunded' : 'partially_refunded';
    const becameRefunded = (await this.orders.setStatus(manager, order.id, status, now)) && full;
    const lines = (await this.orders.lines([order.id], manager)).get(order.id) ?? [];
    const restocked = row.restock && (await this.orders.markRestocked(manager, order.id, now));
    if (restocked) await this.checkout.restock(manager, lines, order.id, now);
    // A fully refunded order stops counting as bought together.
    if (becameRefunded) {
      await this.coPurchases.orderRefunded(
        manager,
        order.userId,
        lines.map((line) => line.productId),
      );
    }
    await this.audit.record(manager, {
      action: 'order.refund',
      entityType: 'order',
      entityId: order.id,
      changes: { refundId: row.id, amountCents: row.amountCents, refundedCents, status, restocked },
    });
  }
}
