import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The payments module: intents committed before the gateway is called, and refunds. */
export class PaymentIntents1796173004298 implements MigrationInterface {
  name = 'PaymentIntents1796173004298';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE \`payment_intents\` (
        \`id\` char(36) NOT NULL,
        \`purpose\` enum ('subscription_invoice', 'order') NOT NULL,
        \`reference_id\` char(36) NOT NULL,
        \`user_id\` char(36) NOT NULL,
        \`amount_cents\` int NOT NULL,
        \`currency\` char(3) NOT NULL,
        \`payment_method\` varchar(128) NOT NULL,
        \`reason\` varchar(32) NOT NULL,
        \`idempotency_key\` varchar(160) NOT NULL,
        \`status\` enum ('pending', 'succeeded', 'declined', 'failed') NOT NULL,
        \`gateway\` varchar(32) NOT NULL,
        \`gateway_reference\` varchar(128) NULL,
        \`decline_code\` varchar(64) NULL,
        \`refunded_cents\` int NOT NULL,
        \`created_at\` datetime(3) NOT NULL,
        \`updated_at\` datetime(3) NOT NULL,
        \`settled_at\` datetime(3) NULL,
        UNIQUE INDEX \`uq_payment_intents_key\` (\`idempotency_key\`),
        INDEX \`idx_payment_intents_pending\` (\`status\`, \`created_at\`),
        INDEX \`idx_payment_intents_reference\` (\`purpose\`, \`reference_id\`),
        INDEX \`idx_payment_intents_settled\` (\`settled_at\`),
        PRIMARY KEY (\`id\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await queryRunner.query(`
      CREATE TABLE \`payment_refunds\` (
        \`id\` char(36) NOT NULL,
        \`intent_id\` char(36) NOT NULL,
        \`amount_cents\` int NOT NULL,
        \`currency\` char(3) NOT NULL,
        \`idempotency_key\` varchar(160) NOT NULL,
        \`status\` enum ('pending', 'succeeded', 'failed') NOT NULL,
        \`gateway_reference\` varchar(128) NULL,
        \`created_at\` datetime(3) NOT NULL,
        \`updated_at\` datetime(3) NOT NULL,
        \`settled_at\` datetime(3) NULL,
        UNIQUE INDEX \`uq_payment_refunds_key\` (\`idempotency_key\`),
        INDEX \`idx_payment_refunds_intent\` (\`intent_id\`),
        INDEX \`idx_payment_refunds_pending\` (\`status\`, \`created_at\`),
        INDEX \`idx_payment_refunds_settled\` (\`settled_at\`),
        PRIMARY KEY (\`id\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `payment_refunds`');
    await queryRunner.query('DROP TABLE `payment_intents`');
  }
}
