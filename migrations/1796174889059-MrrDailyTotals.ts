import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The MRR metrics' daily aggregate (analytics module), filled from the movements already recorded. */
export class MrrDailyTotals1796174889059 implements MigrationInterface {
  name = 'MrrDailyTotals1796174889059';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE \`mrr_daily_totals\` (
        \`currency\` char(3) NOT NULL,
        \`day\` date NOT NULL,
        \`kind\` enum ('new', 'expansion', 'contraction', 'churn', 'reactivation') NOT NULL,
        \`shard\` tinyint UNSIGNED NOT NULL,
        \`amount_cents\` bigint NOT NULL,
        \`movements\` int NOT NULL,
        PRIMARY KEY (\`currency\`, \`day\`, \`kind\`, \`shard\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await queryRunner.query(`
      INSERT INTO mrr_daily_totals (currency, day, kind, shard, amount_cents, movements)
      SELECT currency, DATE(occurred_at), kind, 0, SUM(amount_cents), COUNT(*)
        FROM mrr_movements GROUP BY currency, DATE(occurred_at), kind`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `mrr_daily_totals`');
  }
}
