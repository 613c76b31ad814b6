import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1764320000000 implements MigrationInterface {
  name = 'Foundation1764320000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE \`idempotency_keys\` (
        \`scope\` varchar(36) NOT NULL,
        \`idem_key\` varchar(255) NOT NULL,
        \`request_hash\` char(64) NOT NULL,
        \`state\` enum ('in_progress', 'completed') NOT NULL,
        \`response_status\` smallint UNSIGNED NULL,
        \`response_body\` mediumtext NULL,
        \`created_at\` datetime(3) NOT NULL,
        \`expires_at\` datetime(3) NOT NULL,
        INDEX \`idx_idempotency_keys_expires_at\` (\`expires_at\`),
        PRIMARY KEY (\`scope\`, \`idem_key\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `idempotency_keys`');
  }
}
