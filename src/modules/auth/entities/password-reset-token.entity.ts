import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A single-use password-reset token, stored only as its SHA-256 (the token itself goes out by webhook). */
@Entity('password_reset_tokens')
@Index('idx_password_reset_tokens_user', ['userId'])
@Index('idx_password_reset_tokens_expires', ['expiresAt'])
export class PasswordResetToken {
  @PrimaryColumn({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash: string;

  @Column({ name: 'user_id', type: 'char', length: 36 })
  userId: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'datetime', precision: 3 })
  expiresAt: Date;

  /** Set when the token (or another of the user's) was used: a token works once. */
  @Column({ name: 'used_at', type: 'datetime', precision: 3, nullable: true })
  usedAt: Date | null;
}
