import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Role } from '../../../common/auth/permissions.js';

@Entity('users')
@Index('uq_users_email', ['email'], { unique: true })
@Index('idx_users_tokens_valid_after', ['tokensValidAfter'])
export class User {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  /** Stored normalised (NFKC, trimmed, lower-cased: normalizeEmail); unique, compared byte for byte. */
  @Column({ type: 'varchar', length: 254, charset: 'utf8mb4', collation: 'utf8mb4_bin' })
  email: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  name: string | null;

  /** argon2id PHC string; never leaves the auth module. */
  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash: string;

  @Column({ type: 'set', enum: ['admin', 'staff', 'customer'] })
  roles: Role[];

  /** Access tokens issued before this are refused (password change, sessions revoked, roles changed). */
  @Column({ name: 'tokens_valid_after', type: 'datetime', precision: 3, nullable: true })
  tokensValidAfter?: Date | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}
