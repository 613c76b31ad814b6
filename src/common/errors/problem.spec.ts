import { describe, expect, it } from '@jest/globals';
import { NotFoundException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { conflict } from './domain-error.js';
import { toProblem } from './problem.js';

const driverError = (fields: Record<string, unknown>) =>
  new QueryFailedError(
    'INSERT INTO secret_table VALUES (?)',
    ['secret-value'],
    Object.assign(new Error('driver text'), fields),
  );

describe('toProblem', () => {
  it('renders domain errors with their status, code and extra fields', () => {
    const { problem, unexpected } = toProblem(
      conflict('out_of_stock', 'Not enough stock', { items: [{ productId: 'p' }] }),
    );
    expect(problem).toMatchObject({ status: 409, code: 'out_of_stock', title: 'Conflict', detail: 'Not enough stock' });
    expect(problem.items).toEqual([{ productId: 'p' }]);
    expect(unexpected).toBe(false);
  });

  it('renders Nest HTTP exceptions', () => {
    expect(toProblem(new NotFoundException('Cannot GET /x')).problem).toMatchObject({
      status: 404,
      detail: 'Cannot GET /x',
    });
  });

  it.each([
    [{ errno: 1062, code: 'ER_DUP_ENTRY' }, 409],
    [{ errno: 1213, code: 'ER_LOCK_DEADLOCK' }, 503],
    [{ errno: 1205, code: 'ER_LOCK_WAIT_TIMEOUT' }, 503],
    [{ code: 'PROTOCOL_CONNECTION_LOST' }, 503],
    [{ code: 'ECONNREFUSED' }, 503],
    [{ code: 'ERR_POOL_ACQUIRE_TIMEOUT' }, 503],
    [{ errno: 1644, code: 'ER_SIGNAL_EXCEPTION' }, 409],
    [{ errno: 1064, code: 'ER_PARSE_ERROR' }, 500],
  ])('maps driver error %p to %p without leaking SQL or driver text', (fields, status) => {
    const { problem } = toProblem(driverError(fields));
    expect(problem.status).toBe(status);
    const body = JSON.stringify(problem);
    expect(body).not.toMatch(/secret|INSERT|driver text/);
  });

  it('turns unknown errors into a bare 500 flagged for logging', () => {
    const { problem, unexpected } = toProblem(new TypeError('x is undefined at foo.js:1'));
    expect(problem).toMatchObject({ status: 500, detail: 'An unexpected error occurred' });
    expect(JSON.stringify(problem)).not.toContain('foo.js');
    expect(unexpected).toBe(true);
  });

  it('keeps Fastify client errors (413, 415) as they are', () => {
    const tooLarge = Object.assign(new Error('Request body is too large'), {
      statusCode: 413,
      code: 'FST_ERR_CTP_BODY_TOO_LARGE',
    });
    expect(toProblem(tooLarge).problem.status).toBe(413);
  });
});
