import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AuthSessions1764320100000 implements MigrationInterface {
  name = 'AuthSessions1764320100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE \`auth_sessions\` (
        \`id\` char(36) NOT NULL,
        \`user_id\` char(36) NOT NULL,
        \`created_at\` datetime(3) NOT NULL,
        \`last_used_at\` datetime(3) NOT NULL,
        \`expires_at\` datetime(3) NOT NULL,
        \`revoked_at\` datetime(3) NULL,
        \`revoke_reason\` varchar(32) NULL,
        \`user_agent\` varchar(512) NULL,
        \`ip\` varchar(45) NULL,
        INDEX \`idx_auth_sessions_user\` (\`user_id\`, \`id\`),
        INDEX \`idx_auth_sessions_expires\` (\`expires_at\`),
        PRIMARY KEY (\`id\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await queryRunner.query(`
      CREATE TABLE \`refresh_tokens\` (
        \`token_hash\` char(64) NOT NULL,
        \`session_id\` char(36) NOT NULL,
        \`created_at\` datetime(3) NOT NULL,
        \`expires_at\` datetime(3) NOT NULL,
        \`consumed_at\` datetime(3) NULL,
        INDEX \`idx_refresh_tokens_session\` (\`session_id\`),
        PRIMARY KEY (\`token_hash\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `refresh_tokens`');
    await queryRunner.query('DROP TABLE `auth_sessions`');
  }
}
