import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { freePort } from './ports.js';

const MARIADBD = process.env.TEST_MARIADBD ?? '/usr/sbin/mariadbd';
const INSTALL_DB = process.env.TEST_MARIADB_INSTALL_DB ?? '/usr/bin/mariadb-install-db';

/** The app's users: all rights on the primary; SELECT and replica monitoring only on the replica. */
export const PRIMARY_USER = 'ms_app';
export const REPLICA_USER = 'ms_ro';

export interface MariaDbServer {
  readonly port: number;
  /** A statement as root over the server's socket (test setup and observation, never the app). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** SIGKILL: the server is gone mid-test, connections drop. */
  kill(): Promise<void>;
}

export interface MariaDbPair {
  readonly primary: MariaDbServer;
  readonly replica: MariaDbServer;
  /** mysql:// URLs for the app: the primary as PRIMARY_USER, the replica as REPLICA_USER. */
  primaryUrl(database: string): string;
  replicaUrl(database: string): string;
  /** Resolves once the replica has applied everything the primary has committed so far. */
  caughtUp(): Promise<void>;
  /** A global status counter of the replica, e.g. Com_select. */
  counter(server: MariaDbServer, name: string): Promise<number>;
  /** Statements the app's replica account (REPLICA_USER) ran there, by kind (USER_STATISTICS). */
  replicaUserStatements(): Promise<{ selects: number; writes: number }>;
  close(): Promise<void>;
}

/**
 * Its own MariaDB primary and GTID replica: two `mariadbd` processes on free loopback ports with data
 * directories under a temp dir (one `mariadb-install-db`, copied), row-based binlog on the primary,
 * `read_only` on the replica. Never touches the machine's MariaDB. `close()` (also run on process exit)
 * kills both and removes the directory.
 */
export async function startMariaDbPair(): Promise<MariaDbPair> {
  const root = mkdtempSync(path.join(tmpdir(), 'ms-mariadb-pair-'));
  const servers: { child: ChildProcess; server: MariaDbServer }[] = [];
  const cleanup = () => {
    for (const { child } of servers) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
  };
  process.once('exit', cleanup);
  try {
    const asRoot = process.getuid?.() === 0 ? ['--user=root'] : [];
    const data = (name: string) => path.join(root, name);
    await promisify(execFile)(INSTALL_DB, [
      '--no-defaults',
      `--datadir=${data('primary')}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      ...asRoot,
    ]);
    cpSync(data('primary'), data('replica'), { recursive: true });

    const start = async (name: string, serverId: number, extra: string[]) => {
      const port = await freePort();
      const socket = path.join(root, `${name}.sock`);
      const log = openSync(path.join(root, `${name}.log`), 'a');
      const child = spawn(
        MARIADBD,
        [
          '--no-defaults',
          ...asRoot,
          `--datadir=${data(name)}`,
          `--port=${port}`,
          '--bind-address=127.0.0.1',
          `--socket=${socket}`,
          `--pid-file=${path.join(root, `${name}.pid`)}`,
          `--server-id=${serverId}`,
          '--skip-name-resolve',
          '--character-set-server=utf8mb4',
          '--collation-server=utf8mb4_unicode_ci',
          '--innodb-buffer-pool-size=64M',
          '--innodb-flush-log-at-trx-commit=2',
          ...extra,
        ],
        { stdio: ['ignore', log, log] },
      );
      const server: MariaDbServer = {
        port,
        async query<T>(sql: string, params: unknown[] = []) {
          const connection = await mysql.createConnection({
            socketPath: socket,
            user: 'root',
            multipleStatements: true,
          });
          try {
            return (await connection.query(sql, params))[0] as T[];
          } finally {
            await connection.end();
          }
        },
        async kill() {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const exited = new Promise((resolve) => child.once('exit', resolve));
          child.kill('SIGKILL');
          await exited;
        },
      };
      servers.push({ child, server });
      await waitUntil(() => server.query('SELECT 1'), `${name} MariaDB did not start (log: ${root}/${name}.log)`);
      return server;
    };

    const [primary, replica] = await Promise.all([
      start('primary', 1, [
        `--log-bin=${path.join(data('primary'), 'binlog')}`,
        '--binlog-format=ROW',
        '--sync-binlog=0',
        // The audit migration creates triggers; with binary logging that needs this (or SUPER).
        '--log-bin-trust-function-creators=1',
      ]),
      // userstat: per-account statement counts (information_schema.USER_STATISTICS), to prove who wrote what.
      start('replica', 2, [`--relay-log=${path.join(data('replica'), 'relay')}`, '--read-only=1', '--userstat=1']),
    ]);

    // The replication account is not itself replicated; everything after START SLAVE is.
    await primary.query(
      `SET SESSION sql_log_bin = 0; CREATE USER repl@'127.0.0.1' IDENTIFIED BY 'repl'; ` +
        `GRANT REPLICATION SLAVE ON *.* TO repl@'127.0.0.1'`,
    );
    await replica.query(
      `CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = ?, MASTER_USER = 'repl', ` +
        `MASTER_PASSWORD = 'repl', MASTER_USE_GTID = slave_pos`,
      [primary.port],
    );
    await replica.query('START SLAVE');
    await primary.query(`CREATE USER ${PRIMARY_USER}@'127.0.0.1'`);
    await primary.query(`GRANT ALL ON *.* TO ${PRIMARY_USER}@'127.0.0.1'`);
    await primary.query(`CREATE USER ${REPLICA_USER}@'127.0.0.1'`);
    await primary.query(`GRANT SELECT, SLAVE MONITOR ON *.* TO ${REPLICA_USER}@'127.0.0.1'`);

    const pair: MariaDbPair = {
      primary,
      replica,
      primaryUrl: (database) => `mysql://${PRIMARY_USER}@127.0.0.1:${primary.port}/${database}`,
      replicaUrl: (database) => `mysql://${REPLICA_USER}@127.0.0.1:${replica.port}/${database}`,
      async caughtUp() {
        const [{ pos }] = await primary.query<{ pos: string }>('SELECT @@gtid_binlog_pos AS pos');
        const [{ done }] = await replica.query<{ done: number }>('SELECT MASTER_GTID_WAIT(?, 20) AS done', [pos]);
        if (Number(done) !== 0) throw new Error(`replica did not catch up with ${pos}`);
      },
      async counter(server, name) {
        const [row] = await server.query<{ Value: string }>('SHOW GLOBAL STATUS LIKE ?', [name]);
        return Number(row.Value);
      },
      async replicaUserStatements() {
        const rows = await replica.query<{ selects: string; writes: string }>(
          'SELECT SELECT_COMMANDS AS selects, UPDATE_COMMANDS AS writes FROM information_schema.USER_STATISTICS WHERE USER = ?',
          [REPLICA_USER],
        );
        return { selects: Number(rows[0]?.selects ?? 0), writes: Number(rows[0]?.writes ?? 0) };
      },
      async close() {
        await Promise.all(servers.map(({ server }) => server.kill()));
        process.removeListener('exit', cleanup);
        cleanup();
      },
    };
    await pair.caughtUp();
    return pair;
  } catch (error) {
    process.removeListener('exit', cleanup);
    cleanup();
    throw error;
  }
}

async function waitUntil(probe: () => Promise<unknown>, message: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await probe();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${message}: ${(error as Error).message}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
