import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { newId } from '../../../common/ids.js';
import type { Invoice } from '../entities/invoice.entity.js';
import type { PaymentAttempt } from '../entities/payment-attempt.entity.js';
import { type ChargeResult, PAYMENT_GATEWAY, type PaymentGateway } from '../../payments/index.js';

export interface CollectRequest {
  invoice: Invoice;
  /** 1 for the first try of an invoice, n for the n-th dunning attempt. */
  attempt: number;
  paymentMethod: string;
  /**
   * Work that must only stand if the money is taken (stock allocation, the plan switch): it runs
   * inside a SAVEPOINT before the charge and is rolled back to it when the charge is declined.
   * An error it throws (e.g. 409 out_of_stock) propagates before anything is charged.
   */
  beforeCharge?: () => Promise<void>;
}

export interface CollectResult {
  result: ChargeResult;
  /** The payment attempt to store (undefined when nothing was sent to the gateway: a zero amount). */
  attempt?: PaymentAttempt;
}

export function chargeIdempotencyKey(invoiceId: string, attempt: number): string {
  return `invoice:${invoiceId}:attempt:${attempt}`;
}

/**
 * Charges an invoice through the gateway. The idempotency key is derived from the invoice and the
 * attempt number, so a transaction retried after a deadlock (same invoice id, same attempt) asks the
 * gateway the same question and gets the same answer: money moves at most once.
 */
@Injectable()
export class PaymentService {
  constructor(@Inject(PAYMENT_GATEWAY) private readonly gateway: PaymentGateway) {}

  async collect(manager: EntityManager, request: CollectRequest): Promise<CollectResult> {
    const { invoice, beforeCharge } = request;
    if (beforeCharge) {
      await manager.query('SAVEPOINT billing_charge');
      try {
        await beforeCharge();
      } catch (error) {
        // Undo whatever part of it ran, so a caller that carries on (a renewal batch) keeps a clean transaction.
        await manager.query('ROLLBACK TO SAVEPOINT billing_charge').catch(() => undefined);
        throw error;
      }
    }
    let result: ChargeResult;
    let attempt: PaymentAttempt | undefined;
    if (invoice.amountCents > 0) {
      const idempotencyKey = chargeIdempotencyKey(invoice.id, request.attempt);
      result = await this.gateway.charge({
        idempotencyKey,
        amountCents: invoice.amountCents,
        currency: invoice.currency,
        paymentMethod: request.paymentMethod,
        billingReason: invoice.billingReason,
        description: `Invoice ${invoice.id}`,
      });
      attempt = {
        id: newId(),
        invoiceId: invoice.id,
        subscriptionId: invoice.subscriptionId,
        attempt: request.attempt,
        idempotencyKey,
        amountCents: invoice.amountCents,
        currency: invoice.currency,
        status: result.status,
        declineCode: result.status === 'declined' ? result.declineCode : null,
        gateway: this.gateway.name,
        gatewayReference: result.reference,
        createdAt: new Date(),
      };
    } else {
      result = { status: 'succeeded', reference: 'no_charge' };
    }
    if (beforeCharge) {
      if (result.status === 'declined') await manager.query('ROLLBACK TO SAVEPOINT billing_charge');
      await manager.query('RELEASE SAVEPOINT billing_charge');
    }
    return { result, attempt };
  }
}
