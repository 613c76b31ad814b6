import 'reflect-metadata';
import mysql from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { loadConfig } from './config/app-config.js';
import { dataSourceOptions } from './infrastructure/database/data-source-options.js';
import { ensureDatabase, schemaDialect } from './infrastructure/database/prepare-database.js';
import { APP_SCHEMA } from './schema.js';

/** For the TypeORM CLI (migration:run, migration:generate) against the built app. */
const config = loadConfig();
await ensureDatabase(config);
const connection = await mysql.createConnection(config.db.url);
const type = await schemaDialect(async (sql) => (await connection.query(sql))[0] as { version: string }[]).finally(() =>
  connection.end(),
);

export default new DataSource({ ...dataSourceOptions(config, APP_SCHEMA), type } as ReturnType<
  typeof dataSourceOptions
>);
