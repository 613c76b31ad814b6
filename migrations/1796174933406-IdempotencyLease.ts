import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 12: an Idempotency-Key is claimed with a lease (`claim_id`, `expires_at` = lease end while
 * `in_progress`), and marked `committed` inside the transaction of the business change it guards, so a
 * key can never run twice nor stay stuck.
 */
export class IdempotencyLease1796174933406 implements MigrationInterface {
  name = 'IdempotencyLease1796174933406';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "ALTER TABLE `idempotency_keys` MODIFY `state` enum ('in_progress', 'committed', 'completed') NOT NULL",
    );
    await queryRunner.query('ALTER TABLE `idempotency_keys` ADD `claim_id` char(36) NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `idempotency_keys` DROP COLUMN `claim_id`');
    await queryRunner.query("DELETE FROM `idempotency_keys` WHERE `state` = 'committed'");
    await queryRunner.query("ALTER TABLE `idempotency_keys` MODIFY `state` enum ('in_progress', 'completed') NOT NULL");
  }
}
