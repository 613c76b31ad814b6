import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { DomainError } from '../../../common/errors/domain-error.js';
import { Gate } from './password.service.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe(Gate.name, () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('runs at most `max` at once and refuses (503, Retry-After) past `maxWaiting` waiters', async () => {
    const gate = new Gate(1, 1, 60_000);
    const first = deferred();
    const running = gate.run(() => first.promise);
    let secondRan = false;
    const waiting = gate.run(async () => {
      secondRan = true;
    });
    const refused = gate.run(async () => undefined);
    await expect(refused).rejects.toMatchObject({ status: 503, options: { headers: { 'retry-after': '2' } } });
    expect(secondRan).toBe(false);
    first.resolve();
    await running;
    await waiting;
    expect(secondRan).toBe(true);
  });

  it('a waiter that waited longer than `waitMs` gets 503 and never runs', async () => {
    jest.useFakeTimers();
    const gate = new Gate(1, 10, 1_000);
    const first = deferred();
    const running = gate.run(() => first.promise);
    let ran = false;
    const waiting = gate.run(async () => {
      ran = true;
    });
    jest.advanceTimersByTime(1_001);
    await expect(waiting).rejects.toBeInstanceOf(DomainError);
    first.resolve();
    await running;
    expect(ran).toBe(false);
    // The slot is free again.
    await expect(gate.run(async () => 'ok')).resolves.toBe('ok');
  });
});
