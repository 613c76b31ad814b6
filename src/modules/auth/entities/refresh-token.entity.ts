import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One refresh token of a family, stored only as the SHA-256 of the token (hex). */
@Entity('refresh_tokens')
@Index('idx_refresh_tokens_session', ['sessionId'])
export class RefreshToken {
  @PrimaryColumn({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash: string;

  @Column({ name: 'session_id', type: 'char', length: 36 })
  sessionId: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  /** min(issue + idle timeout, session end): an unused token dies with the idle timeout. */
  @Column({ name: 'expires_at', type: 'datetime', precision: 3 })
  expiresAt: Date;

  /** Set exactly once, by the refresh that rotated it (conditional UPDATE); a second use is reuse. */
  @Column({ name: 'consumed_at', type: 'datetime', precision: 3, nullable: true })
  consumedAt: Date | null;
}
