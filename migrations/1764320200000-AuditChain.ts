import type { MigrationInterface, QueryRunner } from 'typeorm';

const APPEND_ONLY = ['audit_events', 'audit_chain'];

/**
 * The hash chain (audit_chain) and the database-level guarantee that stored audit rows are never
 * rewritten: BEFORE UPDATE / BEFORE DELETE triggers that raise SQLSTATE 45000 on both tables.
 * Single-statement trigger bodies need no DELIMITER.
 */
export class AuditChain1764320200000 implements MigrationInterface {
  name = 'AuditChain1764320200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE \`audit_chain\` (
        \`seq\` bigint NOT NULL,
        \`event_id\` char(36) NOT NULL,
        \`prev_hash\` char(64) NOT NULL,
        \`hash\` char(64) NOT NULL,
        \`sealed_at\` datetime(3) NOT NULL,
        UNIQUE INDEX \`uq_audit_chain_event\` (\`event_id\`),
        PRIMARY KEY (\`seq\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    // Filters are served by (column, id) indexes (the id tail gives newest-first order); time filters
    // are id ranges (UUID v7), so occurred_at needs no index of its own.
    await queryRunner.query(
      'ALTER TABLE `audit_events` DROP INDEX `idx_audit_events_entity`, DROP INDEX `idx_audit_events_occurred_at`, ' +
        'ADD INDEX `idx_audit_events_entity_type` (`entity_type`, `id`), ' +
        'ADD INDEX `idx_audit_events_entity_id` (`entity_id`, `id`)',
    );
    for (const table of APPEND_ONLY) {
      for (const operation of ['UPDATE', 'DELETE']) {
        await queryRunner.query(
          `CREATE TRIGGER \`${table}_no_${operation.toLowerCase()}\` BEFORE ${operation} ON \`${table}\` ` +
            `FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '${table} is append-only'`,
        );
      }
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of APPEND_ONLY) {
      for (const operation of ['update', 'delete']) {
        await queryRunner.query(`DROP TRIGGER IF EXISTS \`${table}_no_${operation}\``);
      }
    }
    await queryRunner.query(
      'ALTER TABLE `audit_events` DROP INDEX `idx_audit_events_entity_type`, DROP INDEX `idx_audit_events_entity_id`, ' +
        'ADD INDEX `idx_audit_events_entity` (`entity_type`, `entity_id`, `id`), ' +
        'ADD INDEX `idx_audit_events_occurred_at` (`occurred_at`, `id`)',
    );
    await queryRunner.query('DROP TABLE `audit_chain`');
  }
}
