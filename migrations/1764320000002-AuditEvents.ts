import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AuditEvents1764320000002 implements MigrationInterface {
  name = 'AuditEvents1764320000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE \`audit_events\` (
        \`id\` char(36) NOT NULL,
        \`occurred_at\` datetime(3) NOT NULL,
        \`actor_id\` varchar(36) NULL,
        \`action\` varchar(64) NOT NULL,
        \`entity_type\` varchar(64) NOT NULL,
        \`entity_id\` varchar(64) NOT NULL,
        \`request_id\` varchar(128) NULL,
        \`ip\` varchar(45) NULL,
        \`outcome\` enum ('success', 'failure') NOT NULL,
        \`changes\` mediumtext NOT NULL,
        INDEX \`idx_audit_events_actor\` (\`actor_id\`, \`id\`),
        INDEX \`idx_audit_events_action\` (\`action\`, \`id\`),
        INDEX \`idx_audit_events_entity\` (\`entity_type\`, \`entity_id\`, \`id\`),
        INDEX \`idx_audit_events_occurred_at\` (\`occurred_at\`, \`id\`),
        PRIMARY KEY (\`id\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `audit_events`');
  }
}
