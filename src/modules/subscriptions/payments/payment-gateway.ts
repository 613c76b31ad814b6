/**
 * The payments seam: where Stripe, Adyen, … plug in. Implementations must be idempotent on
 * `idempotencyKey`: the same key always yields the same outcome and moves money at most once
 * (Stripe's `Idempotency-Key`, Adyen's `idempotency-key` header do exactly this).
 */
export interface ChargeRequest {
  /** `invoice:<invoiceId>:attempt:<n>`: a retried or concurrent call for the same attempt never charges twice. */
  idempotencyKey: string;
  amountCents: number;
  currency: string;
  /** The gateway's payment-method token. Never log it. */
  paymentMethod: string;
  /**
   * Why the money is taken: the subscription's first charge (at subscribe or trial end), a renewal,
   * a plan change (Stripe's `billing_reason`), or a one-off order.
   */
  billingReason: 'subscription_create' | 'subscription_cycle' | 'subscription_update' | 'order';
  description: string;
}

export type ChargeResult =
  { status: 'succeeded'; reference: string } | { status: 'declined'; declineCode: string; reference: string | null };

export interface RefundRequest {
  /** Derived from the refund's id: a retried call never refunds twice. */
  idempotencyKey: string;
  /** The gateway's reference of the charge being refunded. */
  chargeReference: string;
  amountCents: number;
  currency: string;
}

export type RefundResult = { status: 'succeeded'; reference: string } | { status: 'failed'; reason: string };

export interface PaymentGateway {
  /** A short name stored on each payment attempt ("simulated", "stripe", …). */
  readonly name: string;
  charge(request: ChargeRequest): Promise<ChargeResult>;
  /** Gives back (part of) a succeeded charge; idempotent on `idempotencyKey` like `charge`. */
  refund(request: RefundRequest): Promise<RefundResult>;
}

/** Injection token: bind a real gateway with `{ provide: PAYMENT_GATEWAY, useClass: StripeGateway }`. */
export const PAYMENT_GATEWAY = Symbol('PAYMENT_GATEWAY');
