import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One Idempotency-Key per caller: the request it was first used with and the answer it got. */
@Entity('idempotency_keys')
@Index('idx_idempotency_keys_expires_at', ['expiresAt'])
export class IdempotencyRecord {
  /** The caller's user id, or "anonymous". */
  @PrimaryColumn({ name: 'scope', type: 'varchar', length: 36 })
  scope: string;

  @PrimaryColumn({ name: 'idem_key', type: 'varchar', length: 255 })
  key: string;

  /** SHA-256 of method, route and body: the same key with another request is a 422. */
  @Column({ name: 'request_hash', type: 'char', length: 64 })
  requestHash: string;

  /**
   * in_progress: claimed, the handler runs (until `expires_at`, the lease); committed: the business
   * transaction committed, the response is being stored; completed: the response is stored.
   */
  @Column({ name: 'state', type: 'enum', enum: ['in_progress', 'committed', 'completed'] })
  state: 'in_progress' | 'committed' | 'completed';

  /** Which claim holds the key: a request whose lease expired and was taken over can't commit under it. */
  @Column({ name: 'claim_id', type: 'char', length: 36, nullable: true })
  claimId: string | null;

  @Column({ name: 'response_status', type: 'smallint', unsigned: true, nullable: true })
  responseStatus: number | null;

  @Column({ name: 'response_body', type: 'mediumtext', nullable: true })
  responseBody: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'datetime', precision: 3 })
  expiresAt: Date;
}
