import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 14 (write-path cost): an event's deliveries are created by the delivery job ("fan-out"), not in
 * the writer's transaction, so an audited change with a subscribed endpoint writes one outbox row
 * instead of two. The row carries the endpoints that wanted it when it was written (`endpoint_ids`,
 * cleared once fanned out) and a pending flag the job finds it by. Events whose data is stored in the
 * clear elsewhere (audit events) keep their body in `body`; confidential ones stay encrypted.
 * Existing events were fanned out when written (their deliveries exist): `fanout_pending` 0.
 */
export class WebhookFanout1796176000000 implements MigrationInterface {
  name = 'WebhookFanout1796176000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE \`webhook_events\`
        MODIFY \`body_ciphertext\` mediumblob NULL,
        ADD \`body\` mediumblob NULL,
        ADD \`endpoint_ids\` text NULL,
        ADD \`fanout_pending\` tinyint NOT NULL DEFAULT 0,
        ADD INDEX \`idx_webhook_events_fanout\` (\`fanout_pending\`, \`id\`)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Events not fanned out yet have no deliveries: they would never be sent under the old schema.
    await queryRunner.query('DELETE FROM `webhook_events` WHERE `fanout_pending` = 1 OR `body_ciphertext` IS NULL');
    await queryRunner.query(`
      ALTER TABLE \`webhook_events\`
        DROP INDEX \`idx_webhook_events_fanout\`,
        DROP COLUMN \`fanout_pending\`,
        DROP COLUMN \`endpoint_ids\`,
        DROP COLUMN \`body\`,
        MODIFY \`body_ciphertext\` mediumblob NOT NULL`);
  }
}
