import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Orders1796173424629 implements MigrationInterface {
  name = 'Orders1796173424629';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE \`orders\` (
        \`id\` char(36) NOT NULL,
        \`user_id\` char(36) NOT NULL,
        \`reservation_id\` char(36) NOT NULL,
        \`status\` enum ('pending', 'paid', 'partially_refunded', 'refunded', 'failed') NOT NULL,
        \`total_cents\` int NOT NULL,
        \`refunded_cents\` int NOT NULL,
        \`currency\` char(3) NOT NULL,
        \`payment_intent_id\` char(36) NOT NULL,
        \`decline_code\` varchar(64) NULL,
        \`paid_at\` datetime(3) NULL,
        \`restocked_at\` datetime(3) NULL,
        \`created_at\` datetime(3) NOT NULL,
        \`updated_at\` datetime(3) NOT NULL,
        INDEX \`idx_orders_user\` (\`user_id\`, \`id\`),
        INDEX \`idx_orders_status_created\` (\`status\`, \`created_at\`),
        INDEX \`idx_orders_reservation\` (\`reservation_id\`),
        INDEX \`idx_orders_paid_at\` (\`paid_at\`),
        PRIMARY KEY (\`id\`),
        CONSTRAINT \`chk_orders_refunded\` CHECK (\`refunded_cents\` >= 0 AND \`refunded_cents\` <= \`total_cents\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await queryRunner.query(`
      CREATE TABLE \`order_lines\` (
        \`order_id\` char(36) NOT NULL,
        \`product_id\` char(36) NOT NULL,
        \`quantity\` int NOT NULL,
        \`unit_price_cents\` int NOT NULL,
        PRIMARY KEY (\`order_id\`, \`product_id\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await queryRunner.query(`
      CREATE TABLE \`order_refunds\` (
        \`id\` char(36) NOT NULL,
        \`order_id\` char(36) NOT NULL,
        \`amount_cents\` int NOT NULL,
        \`currency\` char(3) NOT NULL,
        \`restock\` tinyint NOT NULL,
        \`status\` enum ('pending', 'succeeded', 'failed') NOT NULL,
        \`created_at\` datetime(3) NOT NULL,
        \`completed_at\` datetime(3) NULL,
        INDEX \`idx_order_refunds_order\` (\`order_id\`, \`id\`),
        INDEX \`idx_order_refunds_status_created\` (\`status\`, \`created_at\`),
        INDEX \`idx_order_refunds_completed\` (\`completed_at\`),
        PRIMARY KEY (\`id\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `order_refunds`');
    await queryRunner.query('DROP TABLE `order_lines`');
    await queryRunner.query('DROP TABLE `orders`');
  }
}
