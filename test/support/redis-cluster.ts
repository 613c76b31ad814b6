import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './ports.js';

const REDIS_SERVER = process.env.TEST_REDIS_SERVER ?? 'redis-server';
const REDIS_CLI = process.env.TEST_REDIS_CLI ?? 'redis-cli';
const run = promisify(execFile);

export interface RedisClusterNode {
  readonly port: number;
  /** redis-cli against this node (not cluster-aware: `-c` is not used), trimmed output. */
  cli(...args: string[]): Promise<string>;
  kill(): Promise<void>;
  readonly alive: boolean;
}

export interface RedisCluster {
  readonly nodes: readonly RedisClusterNode[];
  /** REDIS_CLUSTER_NODES for the app. */
  readonly nodeList: string;
  /** Keys starting with `prefix` on each node (a key lives on exactly one node). */
  keysPerNode(prefix: string): Promise<number[]>;
  close(): Promise<void>;
}

/**
 * Its own three-master Redis Cluster (no replicas): three `redis-server --cluster-enabled yes` on free
 * loopback ports with their own directories under a temp dir, joined by `redis-cli --cluster create`.
 * `cluster-require-full-coverage no`: with a node dead, the slots of the other two keep serving (as a
 * production cluster without replicas should be configured). `close()` (also on process exit) kills them
 * and removes the directory.
 */
export async function startRedisCluster(size = 3): Promise<RedisCluster> {
  const root = mkdtempSync(path.join(tmpdir(), 'ms-redis-cluster-'));
  const children: ChildProcess[] = [];
  const cleanup = () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
  };
  process.once('exit', cleanup);
  try {
    const nodes: RedisClusterNode[] = [];
    for (let i = 0; i < size; i++) {
      const port = await freePort();
      const dir = path.join(root, String(port));
      mkdirSync(dir);
      const log = openSync(path.join(dir, 'redis.log'), 'a');
      const child = spawn(
        REDIS_SERVER,
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--dir',
          dir,
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          'nodes.conf',
          '--cluster-node-timeout',
          '2000',
          '--cluster-require-full-coverage',
          'no',
          '--save',
          '',
          '--appendonly',
          'no',
        ],
        { stdio: ['ignore', log, log] },
      );
      children.push(child);
      const cli = async (...args: string[]) =>
        (await run(REDIS_CLI, ['-h', '127.0.0.1', '-p', String(port), ...args])).stdout.trim();
      nodes.push({
        port,
        cli,
        get alive() {
          return child.exitCode === null && child.signalCode === null;
        },
        async kill() {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const exited = new Promise((resolve) => child.once('exit', resolve));
          child.kill('SIGKILL');
          await exited;
        },
      });
      await waitUntil(async () => (await cli('ping')) === 'PONG', `redis-server on ${port} did not start`);
    }
    await run(REDIS_CLI, [
      '--cluster',
      'create',
      ...nodes.map((node) => `127.0.0.1:${node.port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    for (const node of nodes) {
      await waitUntil(
        async () => (await node.cli('cluster', 'info')).includes('cluster_state:ok'),
        `cluster not ok on ${node.port}`,
      );
    }
    return {
      nodes,
      nodeList: nodes.map((node) => `127.0.0.1:${node.port}`).join(','),
      async keysPerNode(prefix) {
        return Promise.all(
          nodes.map(async (node) =>
            node.alive ? (await node.cli('--scan', '--pattern', `${prefix}*`)).split('\n').filter(Boolean).length : 0,
          ),
        );
      },
      async close() {
        await Promise.all(nodes.map((node) => node.kill()));
        process.removeListener('exit', cleanup);
        cleanup();
      },
    };
  } catch (error) {
    process.removeListener('exit', cleanup);
    cleanup();
    throw error;
  }
}

async function waitUntil(probe: () => Promise<boolean>, message: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await probe().catch(() => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(message);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
