import { describe, expect, it } from '@jest/globals';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { DataSource, EntityManager } from 'typeorm';
import type { AppConfig } from '../../config/app-config.js';
import { TransactionService } from '../../infrastructure/database/transaction.service.js';
import { type DomainEvent, DomainEvents } from './domain-events.js';

type Outcome = 'commit' | 'deadlock' | 'commit fails';

/**
 * A DataSource whose transactions end as scripted, one outcome per attempt; `log` shows the
 * order of commits and publications.
 */
function setup(outcomes: Outcome[]) {
  const log: string[] = [];
  let attempt = 0;
  const dataSource = {
    async transaction(_isolation: string, work: (manager: EntityManager) => Promise<unknown>) {
      const outcome = outcomes[attempt++];
      const result = await work({} as EntityManager); // a new manager per attempt, as TypeORM does
      if (outcome === 'deadlock') throw Object.assign(new Error('Deadlock found'), { errno: 1213 });
      if (outcome === 'commit fails') throw new Error('connection lost during COMMIT');
      log.push('commit');
      return result;
    },
  } as unknown as DataSource;
  const tx = new TransactionService(dataSource, { db: { deadlockRetries: 3 } } as AppConfig);
  const emitter = new EventEmitter2({ wildcard: true, delimiter: '.' });
  emitter.on('probe.*', (event: DomainEvent & { attempt: number }) =>
    log.push(`published ${event.name} #${event.attempt}`),
  );
  const events = new DomainEvents(emitter);
  let attempts = 0;
  /** One state change that records `probe.changed` with its attempt number, then fails if asked. */
  const change = (fail = false) =>
    tx.run(async (manager) => {
      events.record(manager, { name: 'probe.changed', attempt: ++attempts } as DomainEvent);
      if (fail) throw new Error('rolled back on purpose');
      return 'done';
    });
  return { log, tx, events, emitter, change };
}

describe('domain events after commit', () => {
  it('a committed change is published once, after the commit', async () => {
    const { log, change } = setup(['commit']);
    await expect(change()).resolves.toBe('done');
    expect(log).toEqual(['commit', 'published probe.changed #1']);
  });

  it('a rolled-back change is never published', async () => {
    const { log, change } = setup(['commit']);
    await expect(change(true)).rejects.toThrow('rolled back on purpose');
    expect(log).toEqual([]);
  });

  it('a change whose COMMIT fails is never published', async () => {
    const { log, change } = setup(['commit fails']);
    await expect(change()).rejects.toThrow('connection lost');
    expect(log).toEqual([]);
  });

  it("after deadlock retries only the committed attempt's events are published", async () => {
    const { log, change } = setup(['deadlock', 'deadlock', 'commit']);
    await change();
    expect(log).toEqual(['commit', 'published probe.changed #3']);
  });

  it('a failing subscriber does not fail the committed change', async () => {
    const { log, emitter, change } = setup(['commit']);
    emitter.on('probe.changed', () => {
      throw new Error('subscriber bug');
    });
    await expect(change()).resolves.toBe('done');
    expect(log[0]).toBe('commit');
  });

  it('recording outside TransactionService.run is refused (it could never be published)', async () => {
    const { events, tx } = setup(['commit']);
    expect(() => events.record({} as EntityManager, { name: 'probe.changed' })).toThrow(/TransactionService\.run/);
    let leaked: EntityManager | undefined;
    await tx.run(async (manager) => {
      leaked = manager;
    });
    expect(() => events.record(leaked as EntityManager, { name: 'probe.changed' })).toThrow(/TransactionService\.run/);
  });
});
