import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Inventory1764320300000 implements MigrationInterface {
  name = 'Inventory1764320300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE \`products\` (
        \`id\` char(36) NOT NULL,
        \`sku\` varchar(64) NOT NULL,
        \`name\` varchar(200) NOT NULL,
        \`description\` text NULL,
        \`price_cents\` int NOT NULL,
        \`currency\` char(3) NOT NULL,
        \`active\` tinyint NOT NULL,
        \`version\` int NOT NULL,
        \`created_at\` datetime(3) NOT NULL,
        \`updated_at\` datetime(3) NOT NULL,
        UNIQUE INDEX \`uq_products_sku\` (\`sku\`),
        INDEX \`idx_products_name\` (\`name\`),
        INDEX \`idx_products_active\` (\`active\`, \`id\`),
        PRIMARY KEY (\`id\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await queryRunner.query(`
      CREATE TABLE \`stock_levels\` (
        \`product_id\` char(36) NOT NULL,
        \`on_hand\` int NOT NULL,
        \`reserved\` int NOT NULL,
        PRIMARY KEY (\`product_id\`),
        CONSTRAINT \`chk_stock_levels_bounds\` CHECK (\`reserved\` >= 0 AND \`reserved\` <= \`on_hand\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await queryRunner.query(`
      CREATE TABLE \`stock_movements\` (
        \`id\` char(36) NOT NULL,
        \`product_id\` char(36) NOT NULL,
        \`kind\` enum ('initial', 'adjustment', 'reservation', 'release', 'commit', 'expire', 'allocation') NOT NULL,
        \`delta_on_hand\` int NOT NULL,
        \`delta_reserved\` int NOT NULL,
        \`reference_type\` varchar(32) NULL,
        \`reference_id\` varchar(64) NULL,
        \`reason\` varchar(500) NULL,
        \`created_at\` datetime(3) NOT NULL,
        INDEX \`idx_stock_movements_product\` (\`product_id\`, \`id\`),
        PRIMARY KEY (\`id\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await queryRunner.query(`
      CREATE TABLE \`reservations\` (
        \`id\` char(36) NOT NULL,
        \`user_id\` char(36) NOT NULL,
        \`status\` enum ('pending', 'committed', 'released', 'expired') NOT NULL,
        \`expires_at\` datetime(3) NOT NULL,
        \`created_at\` datetime(3) NOT NULL,
        \`updated_at\` datetime(3) NOT NULL,
        INDEX \`idx_reservations_status_expires\` (\`status\`, \`expires_at\`),
        INDEX \`idx_reservations_user\` (\`user_id\`, \`id\`),
        PRIMARY KEY (\`id\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await queryRunner.query(`
      CREATE TABLE \`reservation_items\` (
        \`reservation_id\` char(36) NOT NULL,
        \`product_id\` char(36) NOT NULL,
        \`quantity\` int NOT NULL,
        PRIMARY KEY (\`reservation_id\`, \`product_id\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `reservation_items`');
    await queryRunner.query('DROP TABLE `reservations`');
    await queryRunner.query('DROP TABLE `stock_movements`');
    await queryRunner.query('DROP TABLE `stock_levels`');
    await queryRunner.query('DROP TABLE `products`');
  }
}
