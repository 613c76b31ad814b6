import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 12: `users.email` compares exactly (binary collation: `víctim@x.com` no longer matches
 * `victim@x.com`, so lookups and the per-email login limit agree on what one email is), and
 * `users.tokens_valid_after` refuses every access token issued before it (revocation).
 */
export class AuthHardening1796173454665 implements MigrationInterface {
  name = 'AuthHardening1796173454665';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE `users` MODIFY `email` varchar(254) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL',
    );
    await queryRunner.query('ALTER TABLE `users` ADD `tokens_valid_after` datetime(3) NULL');
    // Every instance reads the revocations of the last second (TokenRevocations): two index ranges.
    await queryRunner.query('CREATE INDEX `idx_users_tokens_valid_after` ON `users` (`tokens_valid_after`)');
    await queryRunner.query('CREATE INDEX `idx_auth_sessions_revoked_at` ON `auth_sessions` (`revoked_at`)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX `idx_auth_sessions_revoked_at` ON `auth_sessions`');
    await queryRunner.query('DROP INDEX `idx_users_tokens_valid_after` ON `users`');
    await queryRunner.query('ALTER TABLE `users` DROP COLUMN `tokens_valid_after`');
    await queryRunner.query(
      'ALTER TABLE `users` MODIFY `email` varchar(254) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL',
    );
  }
}
