import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import argon2 from 'argon2';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config.js';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

/**
 * argon2id hashing. The argon2 addon runs hash/verify on the libuv thread pool, so a login storm
 * queues on the pool (UV_THREADPOOL_SIZE, default 4) instead of blocking the event loop.
 */
@Injectable()
export class PasswordService {
  private dummy?: Promise<string>;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

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
    return argon2.hash(password, this.options);
  }

  /**
   * True when `password` matches `hash`. With no hash (unknown email) or an unusable one it verifies
   * against a dummy hash with the same parameters and answers false, so both cases cost the same time.
   */
  async verify(hash: string | undefined, password: string): Promise<boolean> {
    const usable = hash !== undefined && hash.startsWith('$argon2');
    const target = usable ? hash : await this.dummyHash();
    try {
      const ok = await argon2.verify(target, password);
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
