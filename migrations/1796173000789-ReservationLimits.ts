import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reservation limits and checkout holds:
 * - `reservation_holders`: one row per user that has reserved; a customer's reservation locks it first,
 *   so counting their pending reservations and inserting a new one is serialised per user (race-free limit).
 * - `reservations.checkout_order_id`: set while an order is paying for the reservation; expiry, release
 *   and a staff commit leave such a reservation alone, so of an order and the expiry exactly one wins.
 * - `return` movements: refunded items put back on hand.
 */
export class ReservationLimits1796173000789 implements MigrationInterface {
  name = 'ReservationLimits1796173000789';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE \`reservation_holders\` (
        \`user_id\` char(36) NOT NULL,
        \`locked_at\` datetime(3) NOT NULL,
        PRIMARY KEY (\`user_id\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await queryRunner.query('ALTER TABLE `reservations` ADD `checkout_order_id` char(36) NULL');
    await queryRunner.query(
      'CREATE INDEX `idx_reservations_user_status` ON `reservations` (`user_id`, `status`, `expires_at`)',
    );
    await queryRunner.query(
      "ALTER TABLE `stock_movements` MODIFY `kind` enum ('initial', 'adjustment', 'reservation', 'release', 'commit', 'expire', 'allocation', 'return') NOT NULL",
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "ALTER TABLE `stock_movements` MODIFY `kind` enum ('initial', 'adjustment', 'reservation', 'release', 'commit', 'expire', 'allocation') NOT NULL",
    );
    await queryRunner.query('DROP INDEX `idx_reservations_user_status` ON `reservations`');
    await queryRunner.query('ALTER TABLE `reservations` DROP COLUMN `checkout_order_id`');
    await queryRunner.query('DROP TABLE `reservation_holders`');
  }
}
