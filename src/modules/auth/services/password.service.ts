import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import argon2 from 'argon2';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config.js';

/** At most `max` tasks at once; the others wait in arrival order. */
class Gate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly max: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

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
    this.gate = new Gate(config.auth.argon2MaxConcurrent);
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
    try {
      const ok = await this.gate.run(() => argon2.verify(target, password));
      return usable && ok;
    } catch {
      return false;
    }
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
    this.dummy ??= this.hash(randomBytes(24).toString('base64url'));
    return this.dummy;
  }
}
