import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One link of the tamper-evident chain: the `seq`-th sealed event and the SHA-256 that covers it
 * and every link before it. Insert-only like audit_events (the database refuses UPDATE and DELETE).
 */
@Entity('audit_chain')
@Index('uq_audit_chain_event', ['eventId'], { unique: true })
export class AuditChainLink {
  /** 1, 2, 3, … in the order the sealer discovered the events committed (not necessarily id order). */
  @PrimaryColumn({ type: 'bigint' })
  seq: number;

  @Column({ name: 'event_id', type: 'char', length: 36 })
  eventId: string;

  @Column({ name: 'prev_hash', type: 'char', length: 64 })
  prevHash: string;

  @Column({ type: 'char', length: 64 })
  hash: string;

  @Column({ name: 'sealed_at', type: 'datetime', precision: 3 })
  sealedAt: Date;
}
