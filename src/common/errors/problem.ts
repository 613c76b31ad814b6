import { HttpException } from '@nestjs/common';
import {
  isConnectionFailure,
  isDeadlock,
  isDuplicateKey,
  isRefusedByTrigger,
} from '../../infrastructure/database/mysql-errors.js';
import { DomainError, type FieldError } from './domain-error.js';

/** RFC 9457 problem details, the body of every error response. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}

export interface ProblemResponse {
  problem: Problem;
  headers: Record<string, string>;
  /** Unexpected errors are logged with their stack; expected ones are not. */
  unexpected: boolean;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

function problem(status: number, code: string, detail: string, fields: Partial<Problem> = {}): Problem {
  return { type: `urn:mainspring:problem:${code}`, title: TITLES[status] ?? 'Error', status, detail, code, ...fields };
}

/** HTTP-ish errors raised by Fastify itself (body too large, bad JSON, bad media type). */
function fastifyStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { statusCode, code } = error as { statusCode?: unknown; code?: unknown };
  if (typeof code === 'string' && code.startsWith('FST_') && typeof statusCode === 'number' && statusCode < 500) {
    return statusCode;
  }
  return undefined;
}

export function toProblem(error: unknown): ProblemResponse {
  if (error instanceof DomainError) {
    return {
      problem: problem(error.status, error.code, error.message, {
        errors: error.options.errors,
        ...error.options.extra,
      }),
      headers: error.options.headers ?? {},
      unexpected: false,
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const body = error.getResponse();
    const detail =
      typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string'
        ? (body as { message: string }).message
        : error.message;
    const headers: Record<string, string> = status === 429 ? { 'retry-after': '60' } : {};
    return { problem: problem(status, CODES[status] ?? 'error', detail), headers, unexpected: status >= 500 };
  }
  const fastify = fastifyStatus(error);
  if (fastify !== undefined) {
    const detail = fastify === 413 ? 'Request body is larger than allowed' : 'Request could not be parsed';
    return { problem: problem(fastify, CODES[fastify] ?? 'bad_request', detail), headers: {}, unexpected: false };
  }
  if (isDuplicateKey(error)) {
    return { problem: problem(409, 'conflict', 'The resource already exists'), headers: {}, unexpected: false };
  }
  if (isRefusedByTrigger(error)) {
    // A bug tried to rewrite append-only rows (audit history); the database refused. Logged as unexpected.
    return {
      problem: problem(409, 'append_only', 'Recorded history cannot be changed'),
      headers: {},
      unexpected: true,
    };
  }
  if (isDeadlock(error) || isConnectionFailure(error)) {
    return {
      problem: problem(503, 'unavailable', 'A dependency is busy or unavailable, try again shortly'),
      headers: { 'retry-after': '1' },
      unexpected: false,
    };
  }
  return {
    problem: problem(500, 'internal', 'An unexpected error occurred'),
    headers: {},
    unexpected: true,
  };
}
