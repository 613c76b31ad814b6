/** What the router knows about one replica: usable for reads, or skipped and why. */
export type ReplicaState =
  { status: 'up'; lagSeconds: number } | { status: 'lagging'; lagSeconds: number } | { status: 'down'; reason: string };

/**
 * Judges one `SHOW REPLICA STATUS` answer. No row: the server is not a replica (a misconfigured URL would
 * otherwise serve a stale copy forever); a NULL lag: replication is stopped or broken, so the lag is unknown
 * and unbounded. MySQL 8 names the column Seconds_Behind_Source, MariaDB Seconds_Behind_Master.
 */
export function replicaStateOf(rows: readonly Record<string, unknown>[], maxLagSeconds: number): ReplicaState {
  const [row] = rows;
  if (!row) return { status: 'down', reason: 'not replicating' };
  const raw = row.Seconds_Behind_Source ?? row.Seconds_Behind_Master;
  if (raw === null || raw === undefined) return { status: 'down', reason: 'replication stopped' };
  const lagSeconds = Number(raw);
  return lagSeconds > maxLagSeconds ? { status: 'lagging', lagSeconds } : { status: 'up', lagSeconds };
}
