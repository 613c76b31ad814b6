import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A login session = one refresh-token family. Every token rotated from one login shares its id;
 * revoking the session kills the whole family. The id is also the `sid` claim of access tokens.
 */
@Entity('auth_sessions')
@Index('idx_auth_sessions_user', ['userId', 'id'])
@Index('idx_auth_sessions_expires', ['expiresAt'])
@Index('idx_auth_sessions_revoked_at', ['revokedAt'])
export class AuthSession {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ name: 'user_id', type: 'char', length: 36 })
  userId: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  /** Last login or refresh; the session dies after SESSION_IDLE_TIMEOUT_SECONDS without one. */
  @Column({ name: 'last_used_at', type: 'datetime', precision: 3 })
  lastUsedAt: Date;

  /** Absolute end of the session (REFRESH_TOKEN_TTL_SECONDS after login), whatever its activity. */
  @Column({ name: 'expires_at', type: 'datetime', precision: 3 })
  expiresAt: Date;

  @Column({ name: 'revoked_at', type: 'datetime', precision: 3, nullable: true })
  revokedAt: Date | null;

  /** logout, session_delete, password_change, admin, refresh_reuse. */
  @Column({ name: 'revoke_reason', type: 'varchar', length: 32, nullable: true })
  revokeReason: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 512, nullable: true })
  userAgent: string | null;

  @Column({ type: 'varchar', length: 45, nullable: true })
  ip: string | null;
}
