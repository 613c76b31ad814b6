import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Billing integrity (issue 11): status `paused`; the billing anchor (period ends = anchor + k
 * intervals, clamped to the month's last day), backfilled from the current period start; what was
 * really paid for the current period (proration credit is computed from it); the charge in flight
 * (a subscription with a pending payment intent is not claimed again); renewals waiting for stock.
 */
export class BillingIntegrity1796173500000 implements MigrationInterface {
  name = 'BillingIntegrity1796173500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`subscriptions\`
      MODIFY \`status\` enum ('incomplete', 'trialing', 'active', 'past_due', 'paused', 'canceled') NOT NULL,
      ADD \`billing_anchor\` datetime(3) NULL,
      ADD \`period_paid_cents\` int NOT NULL DEFAULT 0,
      ADD \`period_paid_from\` datetime(3) NULL,
      ADD \`charge_intent_id\` char(36) NULL,
      ADD \`awaiting_stock_at\` datetime(3) NULL,
      ADD \`hard_declined\` tinyint NOT NULL DEFAULT 0,
      ADD \`resumes_at\` datetime(3) NULL,
      ADD INDEX \`idx_subscriptions_resumes\` (\`status\`, \`resumes_at\`)`);
    await queryRunner.query(
      `UPDATE subscriptions SET billing_anchor = COALESCE(current_period_start, created_at),
         period_paid_cents = CASE WHEN status IN ('active', 'past_due') THEN price_cents ELSE 0 END,
         period_paid_from = current_period_start`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`subscriptions\`
      DROP INDEX \`idx_subscriptions_resumes\`,
      DROP \`billing_anchor\`, DROP \`period_paid_cents\`, DROP \`period_paid_from\`, DROP \`charge_intent_id\`,
      DROP \`awaiting_stock_at\`, DROP \`hard_declined\`, DROP \`resumes_at\`,
      MODIFY \`status\` enum ('incomplete', 'trialing', 'active', 'past_due', 'canceled') NOT NULL`);
  }
}
