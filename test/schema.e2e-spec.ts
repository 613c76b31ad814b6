import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { schemaDialect } from '../src/infrastructure/database/prepare-database.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('schema', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('schema');
  });
  afterAll(() => t.close());

  it('migrations produce exactly the schema the entities describe (no drift)', async () => {
    // TypeORM reads column defaults differently on MariaDB; compare with the dialect actually running.
    const type = await schemaDialect((sql) => t.dataSource.query(sql));
    const inspector = await new DataSource({
      ...t.dataSource.options,
      type,
      subscribers: [],
    } as DataSourceOptions).initialize();
    try {
      const pending = await inspector.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((query) => query.query)).toEqual([]);
    } finally {
      await inspector.destroy();
    }
  });

  it('has no pending migrations after start', async () => {
    expect(await t.dataSource.showMigrations()).toBe(false);
  });
});
