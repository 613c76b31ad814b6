import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config.js';
import { rateLimited } from '../../../common/rate-limit/rate-limit.policy.js';
import { RateLimitStore } from '../../../common/rate-limit/rate-limit.store.js';

/**
 * The strict limit on failed password checks per subject (an email for login, a user for password
 * change): after LOGIN_FAILURES_PER_EMAIL failures inside LOGIN_FAILURE_WINDOW_SECONDS the subject
 * is refused with 429 until the window ends, even with the right password. A success clears the count.
 * Counted for unknown emails too, so the limit does not reveal which emails exist.
 */
@Injectable()
export class LoginAttemptsService {
  constructor(
    private readonly store: RateLimitStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Throws 429 (with the real Retry-After) while the subject is locked out. */
  async assertAllowed(subject: string): Promise<void> {
    const { count, ttlMs } = await this.store.peek(this.key(subject));
    if (count >= this.config.rateLimit.loginFailuresPerEmail && ttlMs > 0) {
      throw rateLimited(ttlMs / 1000, 'Too many failed attempts, try again later');
    }
  }

  async recordFailure(subject: string): Promise<void> {
    await this.store.add(this.key(subject), this.config.rateLimit.loginFailureWindowSeconds * 1000);
  }

  async clear(subject: string): Promise<void> {
    await this.store.reset(this.key(subject));
  }

  /** Keys carry a hash, never the email itself. */
  private key(subject: string): string {
    return `fail:${createHash('sha256').update(subject).digest('base64url').slice(0, 32)}`;
  }
}
