import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config.js';
import { rateLimited } from '../../../common/rate-limit/rate-limit.policy.js';
import { RateLimitStore } from '../../../common/rate-limit/rate-limit.store.js';

/**
 * The strict limit on password checks per subject (a normalised email: login, password change,
 * password reset confirm): every attempt takes one slot of LOGIN_FAILURES_PER_EMAIL per
 * LOGIN_FAILURE_WINDOW_SECONDS *before* the password is checked (one atomic increment, so 50
 * concurrent guesses get at most that many checks); a success gives the slots back (`clear`).
 * Past the limit the subject is refused with 429 until the window ends, even with the right password.
 * Counted for unknown emails too, so the limit does not reveal which emails exist.
 *
 * Other modules (password reset confirm) call `reserveAttempt` before checking a secret, and `clear`
 * after a success.
 */
@Injectable()
export class LoginAttemptsService {
  constructor(
    private readonly store: RateLimitStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Takes a slot for one password check of `subject`; throws 429 (real Retry-After) when none is left. */
  async reserveAttempt(subject: string): Promise<void> {
    const { count, ttlMs } = await this.store.add(
      this.key(subject),
      this.config.rateLimit.loginFailureWindowSeconds * 1000,
    );
    if (count > this.config.rateLimit.loginFailuresPerEmail) {
      throw rateLimited(ttlMs / 1000, 'Too many failed attempts, try again later');
    }
  }

  /** After a successful check: the subject's failures are forgotten. */
  async clear(subject: string): Promise<void> {
    await this.store.reset(this.key(subject));
  }

  /** Keys carry a hash, never the email itself. */
  private key(subject: string): string {
    return `fail:${createHash('sha256').update(subject).digest('base64url').slice(0, 32)}`;
  }
}
