import type { LoggerService } from '@nestjs/common';
import { pino, type Logger as Pino } from 'pino';
import type { AppConfig } from '../../config/app-config.js';

/** Paths pino blanks out wherever they appear in a log line. */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["idempotency-key"]',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.accessToken',
  '*.refreshToken',
  '*.token',
  '*.secret',
];

/**
 * JSON logs to stdout, buffered: lines are collected up to 4 KiB and written in one synchronous
 * write (flushed on shutdown). Synchronous on purpose: sonic-boom's asynchronous mode costs ~3× the
 * CPU per line on Node 24 (8–9 µs against ~3 µs, measured in bench/README.md), and with one access-log
 * line per request that was the largest single cost of a cached read. A consumer that stops reading
 * stdout slows the process down instead of growing its memory without bound.
 */
export function createRootLogger(config: AppConfig): Pino {
  return pino(
    { level: config.logLevel, redact: { paths: REDACT, censor: '[redacted]' }, base: { service: 'mainspring' } },
    pino.destination({ dest: 1, sync: true, minLength: 4096 }),
  );
}

/** Nest's own messages (boot, modules, `new Logger(ctx)`) go through the same pino logger. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly pino: Pino) {}

  log(message: unknown, context?: string): void {
    this.pino.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.pino.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.pino.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.pino.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.pino.trace({ context }, String(message));
  }
}
