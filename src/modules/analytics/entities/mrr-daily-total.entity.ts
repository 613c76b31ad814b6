import { Column, Entity, PrimaryColumn } from 'typeorm';
import { MRR_MOVEMENT_KINDS, type MrrMovementKind } from './mrr-movement.entity.js';

/** Rows per (currency, day, kind): up to this many, so that concurrent writers rarely wait on one row. */
export const MRR_TOTAL_SHARDS = 4;

/**
 * The indexed aggregate the MRR metrics read: per currency, UTC day and kind, the sum of the
 * movements, kept by MrrMovementRecorder in the transaction that writes them (so it always equals
 * the ledger). Each (currency, day, kind) is spread over up to MRR_TOTAL_SHARDS rows, the writer
 * picking one at random: a busy day's writers do not queue on a single row lock. Readers add the shards up.
 */
@Entity('mrr_daily_totals')
export class MrrDailyTotal {
  @PrimaryColumn({ type: 'char', length: 3 })
  currency: string;

  @PrimaryColumn({ type: 'date' })
  day: string;

  @PrimaryColumn({ type: 'enum', enum: MRR_MOVEMENT_KINDS })
  kind: MrrMovementKind;

  @PrimaryColumn({ type: 'tinyint', unsigned: true })
  shard: number;

  @Column({ name: 'amount_cents', type: 'bigint' })
  amountCents: string;

  @Column({ type: 'int' })
  movements: number;
}
