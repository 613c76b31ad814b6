import { performance } from 'node:perf_hooks';
import { DataSource, type EntityManager } from 'typeorm';
import { requestContext } from '../http/request-context.js';
import { dbQueryDuration } from '../metrics/metrics.js';

interface RawConnection {
  query(sql: string, params: unknown[], callback: (error: Error | null, result: unknown) => void): void;
  release(): void;
}
interface ConnectionSource {
  obtainMasterConnection(): Promise<RawConnection>;
}

/**
 * One fixed statement straight on a mysql2 connection, skipping TypeORM's QueryRunner.query, whose
 * per-statement work (subscriber broadcasts, a promise wrapper built per call, result wrapping)
 * costs more CPU than sending the statement (profiled: the cold catalogue read, the audit INSERT).
 * `source` is the DataSource (a pooled connection, taken and given back: the pool's bounded acquire
 * wait still applies) or a transaction's EntityManager (its connection: the statement is part of
 * that transaction). Keeps what matters from the regular path: the driver options (timezone,
 * types), the request's query count, the query-duration metric and the slow-query log.
 * For fixed, hot statements only; everything else goes through TypeORM.
 */
export async function leanStatement(
  source: DataSource | EntityManager,
  sql: string,
  params: unknown[],
): Promise<unknown> {
  const queryRunner = source instanceof DataSource ? undefined : source.queryRunner;
  const dataSource = source instanceof DataSource ? source : source.connection;
  const connection = queryRunner
    ? ((await queryRunner.connect()) as RawConnection)
    : await (dataSource.driver as unknown as ConnectionSource).obtainMasterConnection();
  const started = performance.now();
  let ok = false;
  try {
    const result = await new Promise<unknown>((resolve, reject) =>
      connection.query(sql, params, (error, value) => (error ? reject(error) : resolve(value))),
    );
    ok = true;
    return result;
  } finally {
    if (!queryRunner) connection.release();
    const context = requestContext.current();
    if (context) context.queryCount++;
    const ms = performance.now() - started;
    dbQueryDuration.observe({ outcome: ok ? 'ok' : 'error' }, ms / 1000);
    const slowMs = dataSource.options.maxQueryExecutionTime;
    if (slowMs && ms > slowMs) dataSource.logger.logQuerySlow(Math.round(ms), sql);
  }
}

/** leanStatement for a SELECT: its rows. */
export async function leanQuery<T>(source: DataSource | EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  return (await leanStatement(source, sql, params)) as T[];
}
