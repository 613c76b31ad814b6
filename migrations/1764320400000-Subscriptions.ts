import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Subscriptions1764320400000 implements MigrationInterface {
  name = 'Subscriptions1764320400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE \`plans\` (
        \`id\` char(36) NOT NULL,
        \`code\` varchar(64) NOT NULL,
        \`name\` varchar(200) NOT NULL,
        \`price_cents\` int NOT NULL,
        \`currency\` char(3) NOT NULL,
        \`billing_interval\` enum ('month', 'year') NOT NULL,
        \`trial_days\` int NOT NULL,
        \`features\` text NOT NULL,
        \`items\` text NOT NULL,
        \`active\` tinyint NOT NULL,
        \`version\` int NOT NULL,
        \`created_at\` datetime(3) NOT NULL,
        \`updated_at\` datetime(3) NOT NULL,
        UNIQUE INDEX \`uq_plans_code\` (\`code\`),
        INDEX \`idx_plans_active\` (\`active\`, \`id\`),
        PRIMARY KEY (\`id\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await queryRunner.query(`
      CREATE TABLE \`subscriptions\` (
        \`id\` char(36) NOT NULL,
        \`user_id\` char(36) NOT NULL,
        \`plan_id\` char(36) NOT NULL,
        \`status\` enum ('incomplete', 'trialing', 'active', 'past_due', 'canceled') NOT NULL,
        \`payment_method\` varchar(128) NOT NULL,
        \`price_cents\` int NOT NULL,
        \`currency\` char(3) NOT NULL,
        \`current_period_start\` datetime(3) NULL,
        \`current_period_end\` datetime(3) NULL,
        \`trial_end\` datetime(3) NULL,
        \`cancel_at_period_end\` tinyint NOT NULL,
        \`canceled_at\` datetime(3) NULL,
        \`activated_at\` datetime(3) NULL,
        \`failed_attempts\` int NOT NULL,
        \`next_retry_at\` datetime(3) NULL,
        \`pending_invoice_id\` char(36) NULL,
        \`credit_cents\` int NOT NULL,
        \`live_key\` varchar(80) NULL,
        \`version\` int NOT NULL,
        \`created_at\` datetime(3) NOT NULL,
        \`updated_at\` datetime(3) NOT NULL,
        UNIQUE INDEX \`uq_subscriptions_live_key\` (\`live_key\`),
        INDEX \`idx_subscriptions_user\` (\`user_id\`, \`id\`),
        INDEX \`idx_subscriptions_due\` (\`status\`, \`current_period_end\`),
        INDEX \`idx_subscriptions_status\` (\`status\`, \`id\`),
        INDEX \`idx_subscriptions_canceled_at\` (\`canceled_at\`),
        INDEX \`idx_subscriptions_plan\` (\`plan_id\`, \`status\`),
        PRIMARY KEY (\`id\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await queryRunner.query(`
      CREATE TABLE \`invoices\` (
        \`id\` char(36) NOT NULL,
        \`subscription_id\` char(36) NOT NULL,
        \`user_id\` char(36) NOT NULL,
        \`plan_id\` char(36) NOT NULL,
        \`amount_cents\` int NOT NULL,
        \`currency\` char(3) NOT NULL,
        \`status\` enum ('open', 'paid', 'void') NOT NULL,
        \`billing_reason\` enum ('subscription_create', 'subscription_cycle', 'subscription_update') NOT NULL,
        \`period_start\` datetime(3) NOT NULL,
        \`period_end\` datetime(3) NOT NULL,
        \`lines\` text NOT NULL,
        \`paid_at\` datetime(3) NULL,
        \`created_at\` datetime(3) NOT NULL,
        \`updated_at\` datetime(3) NOT NULL,
        INDEX \`idx_invoices_subscription\` (\`subscription_id\`, \`id\`),
        PRIMARY KEY (\`id\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await queryRunner.query(`
      CREATE TABLE \`payment_attempts\` (
        \`id\` char(36) NOT NULL,
        \`invoice_id\` char(36) NOT NULL,
        \`subscription_id\` char(36) NOT NULL,
        \`attempt\` int NOT NULL,
        \`idempotency_key\` varchar(120) NOT NULL,
        \`amount_cents\` int NOT NULL,
        \`currency\` char(3) NOT NULL,
        \`status\` enum ('succeeded', 'declined') NOT NULL,
        \`decline_code\` varchar(64) NULL,
        \`gateway\` varchar(32) NOT NULL,
        \`gateway_reference\` varchar(128) NULL,
        \`created_at\` datetime(3) NOT NULL,
        UNIQUE INDEX \`uq_payment_attempts_key\` (\`idempotency_key\`),
        INDEX \`idx_payment_attempts_invoice\` (\`invoice_id\`, \`attempt\`),
        INDEX \`idx_payment_attempts_subscription\` (\`subscription_id\`, \`id\`),
        PRIMARY KEY (\`id\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `payment_attempts`');
    await queryRunner.query('DROP TABLE `invoices`');
    await queryRunner.query('DROP TABLE `subscriptions`');
    await queryRunner.query('DROP TABLE `plans`');
  }
}
