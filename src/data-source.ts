import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from './config/app-config.js';
import { dataSourceOptions } from './infrastructure/database/data-source-options.js';

/** For the TypeORM CLI (migration:run, migration:generate) against the built app. */
export default new DataSource(dataSourceOptions(loadConfig()));
