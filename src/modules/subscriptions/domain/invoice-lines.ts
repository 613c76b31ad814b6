import type { InvoiceLine } from '../entities/invoice.entity.js';
import type { ProrationResult } from './proration.js';

export interface PlanRef {
  id: string;
  name: string;
  priceCents: number;
  interval: 'month' | 'year';
}

export interface Lines {
  lines: InvoiceLine[];
  /** What is due (never negative). */
  amountCents: number;
  /** The subscription's credit after this invoice. */
  creditLeft: number;
}

/** The lines of a full-period plan invoice, with any carried credit taken off. */
export function planInvoiceLines(plan: PlanRef, periodStart: Date, periodEnd: Date, creditCents: number): Lines {
  const applied = Math.min(creditCents, plan.priceCents);
  const lines: InvoiceLine[] = [
    {
      kind: 'plan',
      description: `${plan.name} (${plan.interval}ly)`,
      amountCents: plan.priceCents,
      planId: plan.id,
      periodStart: periodStart.toISOString(),
      periodEnd: periodEnd.toISOString(),
    },
  ];
  if (applied > 0) lines.push({ kind: 'credit_applied', description: 'Credit applied', amountCents: -applied });
  return { lines, amountCents: plan.priceCents - applied, creditLeft: creditCents - applied };
}

/**
 * The lines of an immediate plan change: credit for the unused part of what was paid, charge for the
 * new plan's (remaining or new) period, carried credit taken off a positive net; a negative net
 * becomes credit for the next invoices.
 */
export function planChangeLines(
  oldPlan: { id: string; name: string },
  newPlan: PlanRef,
  proration: ProrationResult,
  creditCents: number,
): Lines {
  const applied = proration.netCents > 0 ? Math.min(creditCents, proration.netCents) : 0;
  const lines: InvoiceLine[] = [
    {
      kind: 'proration_credit',
      description: `Unused time on ${oldPlan.name}`,
      amountCents: -proration.creditCents,
      planId: oldPlan.id,
    },
    {
      kind: 'proration_charge',
      description: `Remaining time on ${newPlan.name}`,
      amountCents: proration.chargeCents,
      planId: newPlan.id,
      periodStart: proration.periodStart.toISOString(),
      periodEnd: proration.periodEnd.toISOString(),
    },
  ];
  if (applied > 0) lines.push({ kind: 'credit_applied', description: 'Credit applied', amountCents: -applied });
  return {
    lines,
    amountCents: Math.max(0, proration.netCents) - applied,
    creditLeft: creditCents - applied + Math.max(0, -proration.netCents),
  };
}

/**
 * Re-reads a plan-change invoice: the credit it leaves (given the credit before it) and what the
 * customer bought for the rest of the period (the charge line: cash and credit alike). Used when the
 * payment's outcome is applied, possibly by another process (reconcile), from the stored lines only.
 */
export function readPlanChange(lines: readonly InvoiceLine[], creditBefore: number) {
  const sum = (kind: InvoiceLine['kind']) =>
    lines.filter((line) => line.kind === kind).reduce((total, line) => total + line.amountCents, 0);
  const charge = sum('proration_charge');
  const net = charge + sum('proration_credit');
  const applied = -sum('credit_applied');
  return { paidForPeriod: charge, creditLeft: creditBefore - applied + Math.max(0, -net) };
}

/** What a full-period invoice paid for the period: the plan line (credit applied is the customer's money too). */
export function periodValue(lines: readonly InvoiceLine[]): number {
  return lines.filter((line) => line.kind === 'plan').reduce((total, line) => total + line.amountCents, 0);
}
