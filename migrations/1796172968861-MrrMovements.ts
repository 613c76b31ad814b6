import type { MigrationInterface, QueryRunner } from 'typeorm';
import { newId } from '../src/common/ids.js';

const BACKFILL_CHUNK = 1_000;

interface LiveSubscriptionRow {
  id: string;
  user_id: string;
  currency: string;
  price_cents: number | string;
  billing_interval: string;
  since: Date;
}

/**
 * The MRR ledger (analytics module). Subscriptions already in MRR (active, past_due) when this runs
 * get one backfilled `new` movement at their activation time (creation time if never activated)
 * for the rate of their current period (yearly / 12, rounded per subscription), so that the MRR
 * series starts from the right figure instead of zero.
 */
export class MrrMovements1796172968861 implements MigrationInterface {
  name = 'MrrMovements1796172968861';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE \`mrr_movements\` (
        \`id\` char(36) NOT NULL,
        \`subscription_id\` char(36) NOT NULL,
        \`user_id\` char(36) NOT NULL,
        \`kind\` enum ('new', 'expansion', 'contraction', 'churn', 'reactivation') NOT NULL,
        \`amount_cents\` int NOT NULL,
        \`currency\` char(3) NOT NULL,
        \`occurred_at\` datetime(3) NOT NULL,
        INDEX \`idx_mrr_movements_bucket\` (\`currency\`, \`occurred_at\`, \`kind\`, \`amount_cents\`),
        INDEX \`idx_mrr_movements_subscription\` (\`subscription_id\`, \`occurred_at\`),
        PRIMARY KEY (\`id\`),
        CONSTRAINT \`chk_mrr_movements_amount\` CHECK (\`amount_cents\` > 0)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    const live = (await queryRunner.query(`
      SELECT s.id, s.user_id, s.currency, s.price_cents, COALESCE(s.activated_at, s.created_at) AS since,
             p.billing_interval
        FROM subscriptions s JOIN plans p ON p.id = s.plan_id
       WHERE s.status IN ('active', 'past_due')`)) as LiveSubscriptionRow[];
    const rows = live
      .map((row) => {
        const price = Number(row.price_cents);
        const monthly = row.billing_interval === 'year' ? Math.round(price / 12) : price;
        return [newId(), row.id, row.user_id, 'new', monthly, row.currency, row.since] as const;
      })
      .filter((row) => row[4] > 0);
    for (let i = 0; i < rows.length; i += BACKFILL_CHUNK) {
      const chunk = rows.slice(i, i + BACKFILL_CHUNK);
      await queryRunner.query(
        `INSERT INTO mrr_movements (id, subscription_id, user_id, kind, amount_cents, currency, occurred_at) VALUES ${chunk
          .map(() => '(?, ?, ?, ?, ?, ?, ?)')
          .join(', ')}`,
        chunk.flat(),
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `mrr_movements`');
  }
}
