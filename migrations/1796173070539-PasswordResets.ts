import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PasswordResets1796173070539 implements MigrationInterface {
  name = 'PasswordResets1796173070539';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE \`password_reset_tokens\` (
        \`token_hash\` char(64) NOT NULL,
        \`user_id\` char(36) NOT NULL,
        \`created_at\` datetime(3) NOT NULL,
        \`expires_at\` datetime(3) NOT NULL,
        \`used_at\` datetime(3) NULL,
        INDEX \`idx_password_reset_tokens_user\` (\`user_id\`),
        INDEX \`idx_password_reset_tokens_expires\` (\`expires_at\`),
        PRIMARY KEY (\`token_hash\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `password_reset_tokens`');
  }
}
