import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Injectable, Module } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { OnDomainEvent } from '../src/common/events/domain-events.js';
import type { AuditedChange } from '../src/modules/audit/index.js';
import { AuditProbeModule } from './support/audit-probe.module.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createUser, type TestUser } from './support/users.js';

/** Test-only subscriber: what a module like webhooks or analytics would do. */
@Injectable()
class ProbeEventLog {
  readonly events: AuditedChange[] = [];

  @OnDomainEvent('probe.*')
  collect(event: AuditedChange): void {
    this.events.push(event);
  }
}

@Module({ providers: [ProbeEventLog] })
class ProbeEventLogModule {}

describe('domain events through the real app', () => {
  let t: TestApp;
  let customer: TestUser;
  const published = () => t.app.get(ProbeEventLog).events;

  beforeAll(async () => {
    t = await startTestApp('domain-events', { imports: [AuditProbeModule, ProbeEventLogModule] });
    customer = await createUser(t);
  });
  afterAll(() => t?.close());
  beforeEach(() => {
    published().length = 0;
  });

  it('a committed change is published once, with its audit event as payload', async () => {
    await t
      .http()
      .post('/probe/audit')
      .set(customer.auth)
      .send({ action: 'probe.create', entityId: 'ev-1', changes: { name: 'n', password: 'secret' } })
      .expect(201);
    expect(published()).toEqual([
      {
        name: 'probe.create',
        id: expect.any(String),
        occurredAt: expect.any(Date),
        actorId: customer.id,
        entityType: 'probe',
        entityId: 'ev-1',
        outcome: 'success',
        changes: { name: 'n', password: '[redacted]' },
      },
    ]);
    const [stored] = await t.dataSource.query('SELECT id FROM audit_events WHERE entity_id = ?', ['ev-1']);
    expect(published()[0].id).toBe(stored.id);
  });

  it('a rolled-back change is not published', async () => {
    await t
      .http()
      .post('/probe/audit')
      .set(customer.auth)
      .send({ action: 'probe.create', entityId: 'ev-2', fail: true })
      .expect(400);
    expect(published()).toEqual([]);
    expect(await t.dataSource.query('SELECT id FROM audit_events WHERE entity_id = ?', ['ev-2'])).toEqual([]);
  });

  it("a real module's change is published under its audit action", async () => {
    const seen: AuditedChange[] = [];
    t.app.get(EventEmitter2).on('users.*', (event: AuditedChange) => seen.push(event));
    const admin = await createUser(t, ['admin']);
    await t
      .http()
      .put(`/api/v1/users/${customer.id}/roles`)
      .set(admin.auth)
      .send({ roles: ['customer', 'staff'] })
      .expect(200);
    expect(seen).toEqual([
      expect.objectContaining({ name: 'users.roles_change', entityId: customer.id, actorId: admin.id }),
    ]);
  });
});
