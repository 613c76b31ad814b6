import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { describe, expect, it } from '@jest/globals';
import { TEST_MYSQL_URL, TEST_REDIS_URL, testDatabaseName } from './support/test-app.js';

/** The built service as a real process (`npm test` builds first): start-up failures and SIGTERM. */
const MAIN = `${import.meta.dirname}/../dist/src/main.js`;

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'warn', JOBS_ENABLED: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

describe('service process', () => {
  it('is built', () => {
    expect(existsSync(MAIN)).toBe(true);
  });

  it('exits non-zero within 15 s with one clear line when MySQL is unreachable', async () => {
    const closedPort = await freePort();
    const started = Date.now();
    const proc = run({ DATABASE_URL: `mysql://root@127.0.0.1:${closedPort}/mainspring`, REDIS_URL: TEST_REDIS_URL });
    const code = await proc.exited;
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(code).not.toBe(0);
    const lines = proc.output().stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/Cannot reach MySQL at 127\.0\.0\.1:\d+/);
    expect(lines[0]).toMatch(/docker compose up -d|DATABASE_URL=/);
  });

  it('refuses invalid configuration naming the variable', async () => {
    const proc = run({ PORT: 'eighty' });
    expect(await proc.exited).not.toBe(0);
    expect(proc.output().stderr).toMatch(/PORT must be an integer/);
  });

  it('creates its database, migrates, serves, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const database = testDatabaseName('process');
    const proc = run({ PORT: String(port), DATABASE_URL: `${TEST_MYSQL_URL}/${database}`, REDIS_URL: TEST_REDIS_URL });
    try {
      await waitForHttp(`http://127.0.0.1:${port}/health/ready`, 20_000);
    } catch (error) {
      proc.child.kill('SIGKILL');
      throw new Error(`${(error as Error).message}\n${proc.output().stderr}`);
    }
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
  });
});
