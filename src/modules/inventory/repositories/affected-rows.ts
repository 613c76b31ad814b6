/** Rows matched by an UPDATE/DELETE run through `manager.query` (mysql2's result header). */
export function affectedRows(result: unknown): number {
  if (Array.isArray(result)) return affectedRows(result[0]);
  const header = result as { affectedRows?: number } | undefined;
  return header?.affectedRows ?? 0;
}

/** Escapes LIKE wildcards so user input is matched literally as a prefix. */
export function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}
