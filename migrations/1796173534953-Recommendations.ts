import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Recommendations1796173534953 implements MigrationInterface {
  name = 'Recommendations1796173534953';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE \`co_purchases\` (
        \`product_id\` char(36) NOT NULL,
        \`other_id\` char(36) NOT NULL,
        \`orders\` int NOT NULL,
        INDEX \`idx_co_purchases_top\` (\`product_id\`, \`orders\`, \`other_id\`),
        PRIMARY KEY (\`product_id\`, \`other_id\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await queryRunner.query(`
      CREATE TABLE \`user_purchases\` (
        \`user_id\` char(36) NOT NULL,
        \`product_id\` char(36) NOT NULL,
        \`orders\` int NOT NULL,
        PRIMARY KEY (\`user_id\`, \`product_id\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `user_purchases`');
    await queryRunner.query('DROP TABLE `co_purchases`');
  }
}
