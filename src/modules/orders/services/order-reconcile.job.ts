import { Inject, Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config.js';
import { OrderRepository } from '../repositories/order.repository.js';
import { OrderCheckoutService } from './order-checkout.service.js';
import { OrderRefundService } from './order-refund.service.js';

const INTERVAL_MS = 15_000;
/** A checkout or refund still pending after this long was interrupted (a request takes well under a second). */
export const STALE_AFTER_MS = 60_000;
const BATCH = 100;

/**
 * Finishes interrupted checkouts and refunds (the process stopped between the charge and its second
 * transaction): asks the gateway again with the same idempotency key (same answer, no second charge)
 * and applies the answer. Safe on every instance at once: applying is conditional on `pending`.
 */
@Injectable()
export class OrderReconcileJob {
  private readonly logger = new Logger(OrderReconcileJob.name);
  private running = false;

  constructor(
    private readonly orders: OrderRepository,
    private readonly checkout: OrderCheckoutService,
    private readonly refunds: OrderRefundService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Interval(INTERVAL_MS)
  async tick(): Promise<void> {
    if (!this.config.jobs.enabled || this.running) return;
    this.running = true;
    try {
      await this.reconcile();
    } catch (error) {
      this.logger.error(`order reconcile failed: ${(error as Error).message}`);
    } finally {
      this.running = false;
    }
  }

  /** One pass (tests call it with a later `now`): how many orders and refunds it finished. */
  async reconcile(now = new Date()): Promise<{ orders: number; refunds: number }> {
    const before = new Date(now.getTime() - STALE_AFTER_MS);
    let orders = 0;
    for (const order of await this.orders.stalePending(before, BATCH)) {
      try {
        await this.checkout.apply(order, await this.checkout.charge(order));
        orders++;
      } catch (error) {
        this.logger.error(`could not finish order ${order.id}: ${(error as Error).message}`);
      }
    }
    let refunds = 0;
    for (const refund of await this.orders.staleRefunds(before, BATCH)) {
      try {
        const order = await this.orders.findById(refund.orderId);
        await this.refunds.apply(refund, await this.refunds.send(refund, order?.chargeReference ?? 'no_charge'));
        refunds++;
      } catch (error) {
        this.logger.error(`could not finish refund ${refund.id}: ${(error as Error).message}`);
      }
    }
    if (orders + refunds > 0) this.logger.log(`finished ${orders} interrupted orders, ${refunds} refunds`);
    return { orders, refunds };
  }
}
