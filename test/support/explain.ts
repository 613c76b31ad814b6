import type { DataSource } from 'typeorm';

/**
 * Minimal EXPLAIN assertion for index tests. (Another branch adds a fuller helper with the same
 * `expectIndexed(dataSource, sql, params, options)` signature; keep whichever lands first.)
 */
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
  /** Fail when the plan sorts (`Using filesort`). */
  noFilesort?: boolean;
  /** Required index per table (alias), e.g. `{ p: 'PRIMARY' }`. */
  keys?: Record<string, string | RegExp>;
}

export async function explain(dataSource: DataSource, sql: string, params: unknown[] = []): Promise<ExplainRow[]> {
  return (await dataSource.query(`EXPLAIN ${sql}`, params)) as ExplainRow[];
}

/** Every table in the plan is read through an index: `type` is not ALL and `key` is set. */
export async function expectIndexed(
  dataSource: DataSource,
  sql: string,
  params: unknown[] = [],
  options: ExpectIndexedOptions = {},
): Promise<ExplainRow[]> {
  const plan = await explain(dataSource, sql, params);
  const describe = () => `${sql}\n${JSON.stringify(plan, null, 2)}`;
  if (plan.length === 0) throw new Error(`EXPLAIN gave no plan for\n${describe()}`);
  for (const row of plan) {
    if (row.type === 'ALL' || row.key === null)
      throw new Error(`${row.table} is scanned without an index:\n${describe()}`);
    if (options.noFilesort && /filesort/i.test(row.Extra ?? '')) throw new Error(`the plan sorts:\n${describe()}`);
    const wanted = row.table === null ? undefined : options.keys?.[row.table];
    if (wanted !== undefined && !(typeof wanted === 'string' ? row.key === wanted : wanted.test(row.key))) {
      throw new Error(`${row.table} uses ${row.key}, expected ${String(wanted)}:\n${describe()}`);
    }
  }
  return plan;
}
