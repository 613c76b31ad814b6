/**
 * Rows an INSERT/UPDATE/DELETE matched, the one way to read it: from mysql2's result header
 * (`manager.query`, a query builder's `.raw`) or from TypeORM's UpdateResult/DeleteResult.
 */
export function affectedRows(result: unknown): number {
  if (Array.isArray(result)) return affectedRows(result[0]);
  const header = result as { affectedRows?: number; affected?: number | null } | undefined;
  return header?.affectedRows ?? header?.affected ?? 0;
}

/** Escapes LIKE wildcards so user input is matched literally as a prefix. */
export function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}
