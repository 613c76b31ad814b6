import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsISO8601, IsOptional, IsString, IsUUID, Matches } from 'class-validator';
import { PageQuery } from '../../../common/pagination/pagination.js';
import { SUBSCRIPTION_STATUSES, type SubscriptionStatus } from '../domain/subscription-state-machine.js';
import type { Invoice, InvoiceLine, InvoiceStatus } from '../entities/invoice.entity.js';
import type { Subscription } from '../entities/subscription.entity.js';

export class SubscribeBody {
  @ApiProperty()
  @IsUUID()
  planId: string;

  @ApiProperty({
    example: 'pm_card_ok',
    description: 'Payment-method token of the gateway (simulated: pm_card_ok, pm_card_declined, pm_card_fail_next)',
  })
  @IsString()
  @Matches(/^pm_[A-Za-z0-9_]{1,120}$/, { message: 'paymentMethod must be a payment-method token (pm_…)' })
  paymentMethod: string;
}

export class CancelSubscriptionBody {
  @ApiProperty({ description: 'true: keep it until the period ends; false: cancel now' })
  @IsBoolean()
  atPeriodEnd: boolean;
}

export class ChangePlanBody {
  @ApiProperty()
  @IsUUID()
  planId: string;
}

export class SubscriptionListQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'admin/staff only' })
  @IsOptional()
  @IsUUID()
  userId?: string;

  @ApiPropertyOptional({ enum: SUBSCRIPTION_STATUSES })
  @IsOptional()
  @IsIn(SUBSCRIPTION_STATUSES)
  status?: SubscriptionStatus;
}

export class RunRenewalsBody {
  @ApiPropertyOptional({ description: 'Renew what is due by this time (ISO 8601); default now' })
  @IsOptional()
  @IsISO8601({ strict: true })
  asOf?: string;
}

export class InvoiceLineResponse {
  @ApiProperty() description: string;
  @ApiProperty() amountCents: number;
  @ApiProperty({ enum: ['plan', 'proration_credit', 'proration_charge', 'credit_applied'] }) kind: string;
  @ApiPropertyOptional() planId?: string;
  @ApiPropertyOptional() periodStart?: string;
  @ApiPropertyOptional() periodEnd?: string;
}

export class InvoiceResponse {
  @ApiProperty() id: string;
  @ApiProperty() subscriptionId: string;
  @ApiProperty() planId: string;
  @ApiProperty() amountCents: number;
  @ApiProperty() currency: string;
  @ApiProperty({ enum: ['open', 'paid', 'void'] }) status: InvoiceStatus;
  @ApiProperty({ enum: ['subscription_create', 'subscription_cycle', 'subscription_update'] }) billingReason: string;
  @ApiProperty() periodStart: string;
  @ApiProperty() periodEnd: string;
  @ApiProperty({ type: [InvoiceLineResponse] }) lines: InvoiceLine[];
  @ApiProperty({ type: String, nullable: true }) paidAt: string | null;
  @ApiProperty() createdAt: string;
}

export class SubscriptionResponse {
  @ApiProperty() id: string;
  @ApiProperty() userId: string;
  @ApiProperty() planId: string;
  @ApiProperty({ enum: SUBSCRIPTION_STATUSES }) status: SubscriptionStatus;
  @ApiProperty({ type: String, nullable: true }) currentPeriodStart: string | null;
  @ApiProperty({ type: String, nullable: true }) currentPeriodEnd: string | null;
  @ApiProperty() cancelAtPeriodEnd: boolean;
  @ApiProperty({ type: String, nullable: true }) trialEnd: string | null;
  @ApiProperty({ type: String, nullable: true }) canceledAt: string | null;
  @ApiProperty({ description: 'Rate of the current period, minor units' }) priceCents: number;
  @ApiProperty() currency: string;
  @ApiProperty({ description: 'Credit carried to the next invoices, minor units' }) creditCents: number;
  @ApiProperty({ type: String, nullable: true, description: 'Next dunning retry (past_due)' }) nextRetryAt:
    string | null;
  @ApiProperty() version: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class ChangePlanResponse extends SubscriptionResponse {
  @ApiProperty({ type: InvoiceResponse, nullable: true, description: 'The prorated invoice (null during a trial)' })
  invoice: InvoiceResponse | null;
}

export class SubscriptionPage {
  @ApiProperty({ type: [SubscriptionResponse] }) data: SubscriptionResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class InvoicePage {
  @ApiProperty({ type: [InvoiceResponse] }) data: InvoiceResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class EntitlementsResponse {
  @ApiProperty({ type: [String], description: 'Union of the features of the live subscriptions, sorted' })
  features: string[];
}

export class RenewalRunResponse {
  @ApiProperty({ description: 'Due subscriptions handled' }) processed: number;
  @ApiProperty({ description: 'Subscriptions renewed (charge paid, period advanced)' }) renewed: number;
  @ApiProperty({
    description: 'Subscriptions whose renewal charge failed (past_due, or canceled after the last retry)',
  })
  failed: number;
  @ApiProperty({ description: 'Subscriptions ended at period end (cancelAtPeriodEnd)' }) ended: number;
}

export class PlanSummaryResponse {
  @ApiProperty() planId: string;
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty() currency: string;
  @ApiProperty({ enum: ['month', 'year'] }) interval: string;
  @ApiProperty() activeSubscriptions: number;
  @ApiProperty() trialingSubscriptions: number;
  @ApiProperty() pastDueSubscriptions: number;
  @ApiProperty() mrrCents: number;
}

export class CurrencyMrrResponse {
  @ApiProperty() currency: string;
  @ApiProperty() mrrCents: number;
}

export class BillingSummaryResponse {
  @ApiProperty({
    description: 'Monthly recurring revenue of active + past_due subscriptions (yearly ÷ 12), minor units',
  })
  mrrCents: number;
  @ApiProperty({
    type: [CurrencyMrrResponse],
    description: 'MRR per currency (mrrCents adds them up: one-currency deployments)',
  })
  mrrByCurrency: CurrencyMrrResponse[];
  @ApiProperty() activeSubscriptions: number;
  @ApiProperty() trialingSubscriptions: number;
  @ApiProperty() pastDueSubscriptions: number;
  @ApiProperty() churnedLast30Days: number;
  @ApiProperty({ type: [PlanSummaryResponse] }) byPlan: PlanSummaryResponse[];
  @ApiProperty() generatedAt: string;
}

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

export function mapSubscription(subscription: Subscription): SubscriptionResponse {
  return {
    id: subscription.id,
    userId: subscription.userId,
    planId: subscription.planId,
    status: subscription.status,
    currentPeriodStart: iso(subscription.currentPeriodStart),
    currentPeriodEnd: iso(subscription.currentPeriodEnd),
    cancelAtPeriodEnd: subscription.cancelAtPeriodEnd,
    trialEnd: iso(subscription.trialEnd),
    canceledAt: iso(subscription.canceledAt),
    priceCents: subscription.priceCents,
    currency: subscription.currency,
    creditCents: subscription.creditCents,
    nextRetryAt: iso(subscription.nextRetryAt),
    version: subscription.version,
    createdAt: subscription.createdAt.toISOString(),
    updatedAt: subscription.updatedAt.toISOString(),
  };
}

export function mapInvoice(invoice: Invoice): InvoiceResponse {
  return {
    id: invoice.id,
    subscriptionId: invoice.subscriptionId,
    planId: invoice.planId,
    amountCents: invoice.amountCents,
    currency: invoice.currency,
    status: invoice.status,
    billingReason: invoice.billingReason,
    periodStart: invoice.periodStart.toISOString(),
    periodEnd: invoice.periodEnd.toISOString(),
    lines: invoice.lines,
    paidAt: iso(invoice.paidAt),
    createdAt: invoice.createdAt.toISOString(),
  };
}

/**
 * Old names, kept only while subscription.service.ts is being split (billing work): use the
 * `*Body` names above; delete these once nothing imports them.
 */
export type SubscribeDto = SubscribeBody;
export type CancelSubscriptionDto = CancelSubscriptionBody;
export type ChangePlanDto = ChangePlanBody;
