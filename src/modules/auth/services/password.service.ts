import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import argon2 from 'argon2';
import { DomainError } from '../../../common/errors/domain-error.js';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config.js';

/**
 * At most `max` tasks at once; others wait in arrival order, but at most `maxWaiting` of them and
 * for at most `waitMs`: past either bound the caller gets 503 with Retry-After instead of a latency
 * that grows without limit (one client's burst of password changes would slow every login).
 */
export class Gate {
  private running = 0;
  private readonly waiting: { admit: () => void; timer: NodeJS.Timeout }[] = [];

  constructor(
    private readonly max: number,
    private readonly maxWaiting: number,
    private readonly waitMs: number,
  ) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.max) await this.wait();
    else this.running++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) {
        clearTimeout(next.timer);
        next.admit(); // the slot passes to it: `running` stays the same
      } else this.running--;
    }
  }

  private wait(): Promise<void> {
    if (this.waiting.length >= this.maxWaiting) return Promise.reject(busy());
    return new Promise<void>((resolve, reject) => {
      const entry = {
        admit: resolve,
        timer: setTimeout(() => {
          const index = this.waiting.indexOf(entry);
          if (index >= 0) this.waiting.splice(index, 1);
          reject(busy());
        }, this.waitMs),
      };
      entry.timer.unref();
      this.waiting.push(entry);
    });
  }
}

const busy = () =>
  new DomainError(503, 'busy', 'Too many password checks in progress, try again shortly', {
    headers: { 'retry-after': '2' },
  });

/**
 * argon2id hashing. The argon2 addon runs hash/verify on the libuv thread pool, off the event loop;
 * at most ARGON2_MAX_CONCURRENT run at once (default: CPUs − 1), so a login storm queues here
 * instead of taking every core (and the thread pool, which file writes of the logs also use) from
 * the requests being served. Login throughput is CPU-bound either way.
 */
@Injectable()
export class PasswordService {
  private dummy?: Promise<string>;
  private readonly gate: Gate;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    const { argon2MaxConcurrent, argon2MaxQueue, argon2QueueTimeoutMs } = config.auth;
    this.gate = new Gate(argon2MaxConcurrent, argon2MaxQueue, argon2QueueTimeoutMs);
  }

  private get options() {
    const { argon2MemoryKiB, argon2TimeCost, argon2Parallelism } = this.config.auth;
    return {
      type: argon2.argon2id,
      memoryCost: argon2MemoryKiB,
      timeCost: argon2TimeCost,
      parallelism: argon2Parallelism,
    } as const;
  }

  hash(password: string): Promise<string> {
    return this.gate.run(() => argon2.hash(password, this.options));
  }

  /**
   * True when `password` matches `hash`. With no hash (unknown email) or an unusable one it verifies
   * against a dummy hash with the same parameters and answers false, so both cases cost the same time.
   */
  async verify(hash: string | undefined, password: string): Promise<boolean> {
    const usable = hash !== undefined && hash.startsWith('$argon2');
    const target = usable ? hash : await this.dummyHash();
    // A full queue (503) propagates; a malformed stored hash is a mismatch.
    const ok = await this.gate.run(() => argon2.verify(target, password).catch(() => false));
    return usable && ok;
  }

  /** Stored with older parameters than the configured ones: rehash after a successful login. */
  needsRehash(hash: string): boolean {
    try {
      const { memoryCost, timeCost, parallelism } = this.options;
      return argon2.needsRehash(hash, { memoryCost, timeCost, parallelism });
    } catch {
      return false;
    }
  }

  private dummyHash(): Promise<string> {
    // Not kept when it failed (queue full): the next unknown-email login tries again.
    this.dummy ??= this.hash(randomBytes(24).toString('base64url')).catch((error: unknown) => {
      this.dummy = undefined;
      throw error;
    });
    return this.dummy;
  }
}
