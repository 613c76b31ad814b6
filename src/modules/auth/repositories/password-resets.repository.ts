import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { PasswordResetToken } from '../entities/password-reset-token.entity.js';

/** Every query on `password_reset_tokens`. */
@Injectable()
export class PasswordResetsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, token: PasswordResetToken): Promise<void> {
    await manager.insert(PasswordResetToken, token);
  }

  /** Cheap pre-check outside any transaction, so a bad token never costs a password hash. */
  async isUsable(tokenHash: string, now: Date): Promise<boolean> {
    const [row] = await this.dataSource.query<{ user_id: string }[]>(
      'SELECT user_id FROM password_reset_tokens WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?',
      [tokenHash, now],
    );
    return row !== undefined;
  }

  /** The user of a live token, row-locked: of concurrent uses of one token, one finds it unused. */
  async lockUsable(manager: EntityManager, tokenHash: string, now: Date): Promise<string | undefined> {
    const [row] = await manager.query<{ user_id: string }[]>(
      `SELECT user_id FROM password_reset_tokens
        WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? FOR UPDATE`,
      [tokenHash, now],
    );
    return row?.user_id;
  }

  /** Uses up every outstanding token of the user: after a reset, older reset links are dead too. */
  async useAll(manager: EntityManager, userId: string, now: Date): Promise<void> {
    await manager.query('UPDATE password_reset_tokens SET used_at = ? WHERE user_id = ? AND used_at IS NULL', [
      now,
      userId,
    ]);
  }
}
