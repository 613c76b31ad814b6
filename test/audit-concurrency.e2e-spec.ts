import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TransactionService } from '../src/infrastructure/database/transaction.service.js';
import { AuditSealerService } from '../src/modules/audit/services/audit-sealer.service.js';
import { AuditService } from '../src/modules/audit/index.js';
import { AuditProbeModule } from './support/audit-probe.module.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createUser, type TestUser } from './support/users.js';

describe('audit under concurrency, two instances', () => {
  let a: TestApp;
  let b: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    a = await startTestApp('audit-conc', { imports: [AuditProbeModule] });
    b = await startTestApp('audit-conc', { reuseDatabase: true, imports: [AuditProbeModule] });
    admin = await createUser(a, ['admin']);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('200 concurrent audited writes with sealers racing on both instances: 200 events, one verifying chain', async () => {
    let writing = true;
    const sealed: number[] = [];
    // Both instances seal in a loop while the writes run (as their interval jobs would).
    const sealLoop = async (app: TestApp) => {
      while (writing) {
        sealed.push(await app.app.get(AuditSealerService).sealPending());
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    const loops = [sealLoop(a), sealLoop(b)];

    const writes = Array.from({ length: 200 }, (_, i) => {
      const app = i % 2 === 0 ? a : b;
      if (i % 4 < 2) {
        // Half through HTTP (request context: actor, request id)...
        return app
          .http()
          .post('/probe/audit')
          .set(admin.auth)
          .send({ action: 'conc.write', entityId: `w-${i}`, changes: { i } })
          .then((res) => expect(res.status).toBe(201));
      }
      // ...half straight through the services, as a job would.
      return app.app.get(TransactionService).run(async (manager) => {
        await app.app.get(AuditService).record(manager, {
          action: 'conc.write',
          entityType: 'probe',
          entityId: `w-${i}`,
          changes: { i },
        });
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5)); // commit out of id order
      });
    });
    await Promise.all(writes);
    writing = false;
    await Promise.all(loops);

    // Two final sealers at once: one seals the rest, the other finds the lock taken or nothing left.
    const [x, y] = await Promise.all([
      a.app.get(AuditSealerService).sealPending(),
      b.app.get(AuditSealerService).sealPending(),
    ]);
    const totalSealed = sealed.reduce((sum, n) => sum + n, 0) + x + y;
    expect(totalSealed).toBe(200);

    const [{ n }] = await a.dataSource.query(`SELECT COUNT(*) AS n FROM audit_events WHERE action = 'conc.write'`);
    expect(Number(n)).toBe(200);
    const entities = await a.dataSource.query(
      `SELECT COUNT(DISTINCT entity_id) AS n FROM audit_events WHERE action = 'conc.write'`,
    );
    expect(Number(entities[0].n)).toBe(200);
    const chain = await a.dataSource.query('SELECT COUNT(*) AS n, MIN(seq) AS lo, MAX(seq) AS hi FROM audit_chain');
    expect(chain[0]).toEqual({ n: 200, lo: 1, hi: 200 });

    const [fromA, fromB] = await Promise.all([
      a.http().get('/api/v1/audit-events/verify').set(admin.auth).expect(200),
      b.http().get('/api/v1/audit-events/verify').set(admin.auth).expect(200),
    ]);
    expect(fromA.body).toMatchObject({ ok: true, checked: 200, unsealed: 0 });
    expect(fromB.body).toEqual(fromA.body);
  });

  it('a seal pass never blocks writers: recording proceeds while another instance holds the sealer lock', async () => {
    const runner = a.dataSource.createQueryRunner();
    await runner.connect();
    const [{ lock }] = await runner.query('SELECT GET_LOCK(?, 0) AS `lock`', [
      (a.app.get(AuditSealerService) as unknown as { lockName: string }).lockName,
    ]);
    expect(Number(lock)).toBe(1);
    try {
      const started = Date.now();
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          b
            .http()
            .post('/probe/audit')
            .set(admin.auth)
            .send({ action: 'conc.locked', entityId: `l-${i}` })
            .expect(201),
        ),
      );
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(await b.app.get(AuditSealerService).sealPending()).toBe(0); // skipped, not queued
    } finally {
      await runner.query('SELECT RELEASE_LOCK(?)', [
        (a.app.get(AuditSealerService) as unknown as { lockName: string }).lockName,
      ]);
      await runner.release();
    }
    expect(await b.app.get(AuditSealerService).sealPending()).toBe(20);
  });
});

describe('the sealer job', () => {
  it('seals new events by itself shortly after commit when jobs are enabled', async () => {
    const t = await startTestApp('audit-job', { env: { JOBS_ENABLED: 'true', AUDIT_SEAL_INTERVAL_MS: '100' } });
    try {
      await t.app
        .get(TransactionService)
        .run((manager) =>
          t.app.get(AuditService).record(manager, { action: 'job.test', entityType: 'probe', entityId: 'job-1' }),
        );
      const deadline = Date.now() + 5_000;
      let sealed = 0;
      while (Date.now() < deadline && sealed === 0) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        [{ sealed }] = await t.dataSource.query(
          `SELECT COUNT(*) AS sealed FROM audit_chain c JOIN audit_events e ON e.id = c.event_id WHERE e.entity_id = 'job-1'`,
        );
        sealed = Number(sealed);
      }
      expect(sealed).toBe(1);
    } finally {
      await t.close();
    }
  });
});
