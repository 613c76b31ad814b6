import { describe, expect, it, jest } from '@jest/globals';
import { pino } from 'pino';
import { type AccessLogEntry, createAccessLog } from './access-log.js';

/** A root logger as createRootLogger builds it (base fields, redaction), writing into an array. */
function rootLogger(level = 'info') {
  const lines: string[] = [];
  const root = pino(
    { level, redact: { paths: ['*.token'], censor: '[redacted]' }, base: { service: 'mainspring' } },
    { write: (line: string) => void lines.push(line) },
  );
  return { root, lines };
}

const entries: AccessLogEntry[] = [
  { reqId: '0f7f6f1e-2b1c-4f55-9a41-8d1c2c1f0a11', method: 'GET', route: '/health/live', status: 200, ms: 0.3 },
  { reqId: 'a"b\\c', method: 'POST', route: '/api/v1/products/:id', status: 422, ms: 12, userId: 'u-1' },
  { reqId: 'x', method: 'GET', route: 'unmatched', status: 404, ms: 1234.5, userId: 'ünï\u2028' },
];

describe('createAccessLog', () => {
  it('writes exactly the line pino writes for the same fields', () => {
    jest.useFakeTimers({ now: 1_796_000_000_123 });
    try {
      for (const entry of entries) {
        const viaPino = rootLogger();
        viaPino.root.child({}, { redact: [] }).info({ ...entry }, 'request');
        const direct = rootLogger();
        createAccessLog(direct.root)(entry);
        expect(direct.lines).toEqual(viaPino.lines);
        expect(JSON.parse(direct.lines[0]!)).toMatchObject({
          ...entry,
          level: 30,
          msg: 'request',
          service: 'mainspring',
        });
      }
    } finally {
      jest.useRealTimers();
    }
  });

  it('follows the root logger level, also when it changes at run time', () => {
    const { root, lines } = rootLogger('warn');
    const log = createAccessLog(root);
    log(entries[0]!);
    expect(lines).toHaveLength(0);
    root.level = 'info';
    log(entries[0]!);
    expect(lines).toHaveLength(1);
  });
});
