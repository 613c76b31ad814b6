import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Webhooks1796173070538 implements MigrationInterface {
  name = 'Webhooks1796173070538';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE \`webhook_endpoints\` (
        \`id\` char(36) NOT NULL,
        \`url\` varchar(2048) NOT NULL,
        \`events\` text NOT NULL,
        \`description\` varchar(500) NULL,
        \`enabled\` tinyint NOT NULL,
        \`secret_ciphertext\` varbinary(255) NOT NULL,
        \`created_at\` datetime(3) NOT NULL,
        \`updated_at\` datetime(3) NOT NULL,
        PRIMARY KEY (\`id\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await queryRunner.query(`
      CREATE TABLE \`webhook_events\` (
        \`id\` char(36) NOT NULL,
        \`type\` varchar(64) NOT NULL,
        \`occurred_at\` datetime(3) NOT NULL,
        \`body_ciphertext\` mediumblob NOT NULL,
        PRIMARY KEY (\`id\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await queryRunner.query(`
      CREATE TABLE \`webhook_deliveries\` (
        \`id\` char(36) NOT NULL,
        \`endpoint_id\` char(36) NOT NULL,
        \`event_id\` char(36) NOT NULL,
        \`event_type\` varchar(64) NOT NULL,
        \`status\` varchar(16) NOT NULL,
        \`attempts\` int NOT NULL,
        \`last_status_code\` int NULL,
        \`last_error\` varchar(255) NULL,
        \`next_attempt_at\` datetime(3) NULL,
        \`claim_token\` char(36) NULL,
        \`created_at\` datetime(3) NOT NULL,
        \`updated_at\` datetime(3) NOT NULL,
        INDEX \`idx_webhook_deliveries_due\` (\`status\`, \`next_attempt_at\`),
        INDEX \`idx_webhook_deliveries_endpoint\` (\`endpoint_id\`, \`id\`),
        UNIQUE INDEX \`uq_webhook_deliveries_event_endpoint\` (\`event_id\`, \`endpoint_id\`),
        PRIMARY KEY (\`id\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `webhook_deliveries`');
    await queryRunner.query('DROP TABLE `webhook_events`');
    await queryRunner.query('DROP TABLE `webhook_endpoints`');
  }
}
