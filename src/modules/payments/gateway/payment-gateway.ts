/**
 * The payments seam: where Stripe, Adyen, … plug in. Implementations must be idempotent on
 * `idempotencyKey`: the same key always yields the same outcome and moves money at most once
 * (Stripe's `Idempotency-Key`, Adyen's `idempotency-key` header do exactly this), and must be able
 * to say afterwards what happened to a key (`outcome`): that is how an interrupted flow is finished.
 */
export interface ChargeRequest {
  /** The payment intent's key: a retried or concurrent call with the same key never charges twice. */
  idempotencyKey: string;
  amountCents: number;
  currency: string;
  /** The gateway's payment-method token. Never log it. */
  paymentMethod: string;
  /**
   * Why the money is taken: a subscription's first charge (at subscribe or trial end), a renewal or
   * dunning retry, a plan change, a one-off order (Stripe's `billing_reason`).
   */
  billingReason: ChargeReason;
  description: string;
}

export type ChargeReason = 'subscription_create' | 'subscription_cycle' | 'subscription_update' | 'one_off';

export type ChargeResult =
  { status: 'succeeded'; reference: string } | { status: 'declined'; declineCode: string; reference: string | null };

export interface RefundRequest {
  idempotencyKey: string;
  /** The gateway reference of the charge being refunded. */
  chargeReference: string;
  amountCents: number;
  currency: string;
}

export type RefundResult = { status: 'succeeded'; reference: string } | { status: 'failed'; reason: string };

/** What the gateway knows about a key: `unknown` means it never received it (nothing was charged). */
export type GatewayOutcome =
  { kind: 'charge'; result: ChargeResult } | { kind: 'refund'; result: RefundResult } | { kind: 'unknown' };

export interface PaymentGateway {
  /** A short name stored on each payment intent ("simulated", "stripe", …). */
  readonly name: string;
  charge(request: ChargeRequest): Promise<ChargeResult>;
  refund(request: RefundRequest): Promise<RefundResult>;
  /** The outcome of an earlier `charge` or `refund` by its idempotency key (a real adapter asks the provider). */
  outcome(idempotencyKey: string): Promise<GatewayOutcome>;
}

/** Injection token: bind a real gateway with `{ provide: PAYMENT_GATEWAY, useClass: StripeGateway }`. */
export const PAYMENT_GATEWAY = Symbol('PAYMENT_GATEWAY');
