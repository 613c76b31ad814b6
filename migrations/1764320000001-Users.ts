import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Users1764320000001 implements MigrationInterface {
  name = 'Users1764320000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE \`users\` (
        \`id\` char(36) NOT NULL,
        \`email\` varchar(254) NOT NULL,
        \`name\` varchar(200) NULL,
        \`password_hash\` varchar(255) NOT NULL,
        \`roles\` set ('admin', 'staff', 'customer') NOT NULL,
        \`created_at\` datetime(3) NOT NULL,
        \`updated_at\` datetime(3) NOT NULL,
        UNIQUE INDEX \`uq_users_email\` (\`email\`),
        PRIMARY KEY (\`id\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `users`');
  }
}
