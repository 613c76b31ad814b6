import { Logger } from '@nestjs/common';
import type { Logger as OrmLogger } from 'typeorm';

/**
 * Routes TypeORM's messages into the app log. Parameters are never logged (they may hold secrets);
 * failed statements are logged at debug because expected failures (duplicate keys) are handled upstream.
 */
export class TypeOrmLogger implements OrmLogger {
  private readonly logger = new Logger('Database');

  constructor(private readonly slowQueryMs: number) {}

  logQuery(): void {}

  logQueryError(error: string | Error, query: string): void {
    this.logger.debug?.(`query failed: ${error instanceof Error ? error.message : error} -- ${truncate(query)}`);
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn(`slow query (${time} ms > ${this.slowQueryMs} ms): ${truncate(query)}`);
  }

  logSchemaBuild(): void {}

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
    else this.logger.debug?.(String(message));
  }
}

function truncate(sql: string): string {
  return sql.length > 500 ? `${sql.slice(0, 500)}…` : sql;
}
