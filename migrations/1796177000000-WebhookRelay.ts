import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 14 (write-path cost): audited changes reach the outbox through a relay that reads the sealed
 * audit trail after commit, instead of a `webhook_events` INSERT in every audited transaction. Its
 * position is one row, started at the chain's head: the history before it is not replayed (those
 * events were written to the outbox by the writers themselves; the few committed but not yet sealed
 * now are sealed after the head, and the relay's INSERT ignores the ones whose outbox row exists).
 */
export class WebhookRelay1796177000000 implements MigrationInterface {
  name = 'WebhookRelay1796177000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE \`webhook_relay_cursor\` (
        \`id\` tinyint NOT NULL,
        \`seq\` bigint NOT NULL,
        PRIMARY KEY (\`id\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await queryRunner.query(
      'INSERT INTO `webhook_relay_cursor` (`id`, `seq`) SELECT 1, COALESCE(MAX(`seq`), 0) FROM `audit_chain`',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `webhook_relay_cursor`');
  }
}
