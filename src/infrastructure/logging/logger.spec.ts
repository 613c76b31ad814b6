import { describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { type Destination, LineBatcher } from './logger.js';

function recorder() {
  const writes: string[] = [];
  const calls: string[] = [];
  const destination: Destination = {
    write: (data: string) => {
      writes.push(data);
      return true;
    },
    flush: (callback?: (error?: Error) => void) => {
      calls.push('flush');
      callback?.();
    },
    flushSync: () => void calls.push('flushSync'),
  } as unknown as Destination;
  return { destination, writes, calls };
}

describe('LineBatcher', () => {
  it('hands lines over in order, one write per 4 KiB batch', () => {
    const { destination, writes } = recorder();
    const batcher = new LineBatcher(destination);
    const lines = Array.from({ length: 100 }, (_, i) => `{"n":${i},"pad":"${'x'.repeat(90)}"}\n`);
    for (const line of lines) batcher.write(line);
    expect(writes.length).toBeGreaterThan(1);
    expect(writes.length).toBeLessThan(5);
    for (const batch of writes) expect(batch.length).toBeGreaterThanOrEqual(4096);
    batcher.flushSync();
    expect(writes.join('')).toBe(lines.join(''));
  });

  it('writes what is pending before flushing the destination', () => {
    const { destination, writes, calls } = recorder();
    const batcher = new LineBatcher(destination);
    batcher.write('a\n');
    expect(writes).toEqual([]);
    let flushed = false;
    batcher.flush(() => (flushed = true));
    expect(writes).toEqual(['a\n']);
    expect(calls).toEqual(['flush']);
    expect(flushed).toBe(true);
  });

  it('is what pino writes to: every line arrives, in order, after a flush', () => {
    const { destination, writes } = recorder();
    const logger = pino({ base: null, timestamp: false }, new LineBatcher(destination));
    for (let i = 0; i < 10; i++) logger.info({ i }, 'line');
    logger.flush();
    expect(
      writes
        .join('')
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { i: number }).i),
    ).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
