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

/** Bytes (as string length: the lines are ASCII JSON but for user-supplied text) collected before one write. */
const BATCH_LENGTH = 4096;

/**
 * Log lines collected in memory and handed to the destination once BATCH_LENGTH characters have
 * gathered, as ONE string: one synchronous write per batch. sonic-boom's own buffering (minLength)
 * appends each line to one growing string and measures that string's UTF-8 length on every line
 * (Buffer.byteLength of up to 4 KiB, a flatten and a copy per line: ~0.85 µs of the ~1.1 µs a line
 * cost, bench/README.md); an array of lines joined once per batch costs a push per line. Same lines,
 * same order, same destination (sonic-boom, synchronous, which still handles EAGAIN on pipes).
 * flush()/flushSync() write what is pending first; pending lines are written when the process exits.
 */
export class LineBatcher {
  private lines: string[] = [];
  private length = 0;

  constructor(private readonly destination: Destination) {
    const ref = new WeakRef(this);
    pendingBatchers.add(ref);
    forgetCollected.register(this, ref);
  }

  write(line: string): boolean {
    this.lines.push(line);
    this.length += line.length;
    if (this.length >= BATCH_LENGTH) this.drain();
    return true;
  }

  flush(callback?: (error?: Error) => void): void {
    this.drain();
    this.destination.flush(callback);
  }

  flushSync(): void {
    this.drain();
    this.destination.flushSync();
  }

  private drain(): void {
    if (this.lines.length === 0) return;
    const batch = this.lines.length === 1 ? this.lines[0]! : this.lines.join('');
    this.lines = [];
    this.length = 0;
    this.destination.write(batch);
  }
}

/** What LineBatcher writes to: sonic-boom (pino.destination) in the service. */
export type Destination = Pick<ReturnType<typeof pino.destination>, 'write' | 'flush' | 'flushSync'>;

/** Every batcher still alive, written out at exit (held weakly: tests build many loggers). */
const pendingBatchers = new Set<WeakRef<LineBatcher>>();
const forgetCollected = new FinalizationRegistry<WeakRef<LineBatcher>>((ref) => pendingBatchers.delete(ref));
process.once('exit', () => {
  for (const ref of pendingBatchers) {
    try {
      ref.deref()?.flushSync();
    } catch {
      // stdout gone at exit: nothing left to tell
    }
  }
});

/**
 * JSON logs to stdout, batched (LineBatcher) and written synchronously. Synchronous on purpose:
 * sonic-boom's asynchronous mode costs ~3× the CPU per line on Node 24 (bench/README.md), and with
 * one access-log line per request that was the largest single cost of a cached read. A consumer that
 * stops reading stdout slows the process down instead of growing its memory without bound.
 */
export function createRootLogger(config: AppConfig): Pino {
  return pino(
    { level: config.logLevel, redact: { paths: REDACT, censor: '[redacted]' }, base: { service: 'mainspring' } },
    new LineBatcher(pino.destination({ dest: 1, sync: true, minLength: 0 })),
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
