import type { DataSource } from 'typeorm';

/** One row of MySQL/MariaDB's tabular EXPLAIN. */
export interface ExplainRow {
  id: number | null;
  select_type: string;
  table: string | null;
  type: string | null;
  possible_keys: string | null;
  key: string | null;
  rows: number | string | null;
  Extra: string | null;
}

export interface ExpectIndexedOptions {
  /** Also fail when the plan sorts (`Using filesort`): the index should give the order (keyset pages). */
  noFilesort?: boolean;
  /** Require this index for the given table alias, e.g. `{ e: 'idx_audit_events_actor' }`. */
  keys?: Record<string, string | RegExp>;
}

export async function explain(dataSource: DataSource, sql: string, params: unknown[] = []): Promise<ExplainRow[]> {
  return dataSource.query(`EXPLAIN ${sql}`, params);
}

/**
 * Fails (with the plan in the message) unless every table the query reads is read through an index:
 * EXPLAIN `type` is not `ALL` (full table scan) and `key` is not null. Seed enough rows first
 * (tens of thousands) and ANALYZE TABLE, or the optimizer may rightly prefer a scan of a tiny table.
 */
export async function expectIndexed(
  dataSource: DataSource,
  sql: string,
  params: unknown[] = [],
  options: ExpectIndexedOptions = {},
): Promise<ExplainRow[]> {
  const plan = await explain(dataSource, sql, params);
  const show = () => `\n${sql}\n${JSON.stringify(plan, null, 2)}`;
  if (plan.length === 0) throw new Error(`EXPLAIN returned no rows${show()}`);
  for (const row of plan) {
    if (row.type === 'ALL') throw new Error(`full table scan of ${row.table}${show()}`);
    if (row.key === null) throw new Error(`no index used for ${row.table}${show()}`);
    if (options.noFilesort && /filesort/i.test(row.Extra ?? '')) throw new Error(`the plan sorts${show()}`);
    const wanted = row.table !== null ? options.keys?.[row.table] : undefined;
    if (wanted !== undefined && !(typeof wanted === 'string' ? row.key === wanted : wanted.test(row.key))) {
      throw new Error(`expected ${row.table} to use ${String(wanted)}, got ${row.key}${show()}`);
    }
  }
  return plan;
}
