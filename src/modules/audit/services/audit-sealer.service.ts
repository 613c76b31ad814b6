import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config.js';
import { AuditChainRepository, type NewLink } from '../repositories/audit-chain.repository.js';
import { GENESIS_HASH, linkHash } from './chain.js';
import { idLowerBound } from './event-time.js';

export interface SealOptions {
  /** Look at the whole table instead of the recent window (hourly, and before every verify). */
  full?: boolean;
  /** Seconds to wait for another instance's seal pass to finish; 0 (default) = skip if busy. */
  waitSeconds?: number;
}

/**
 * Links committed events into the hash chain, in the order it discovers them (whatever is unsealed,
 * by id), so a transaction that commits an older id late is simply sealed later. Writers never
 * wait on it. One instance seals at a time: a MySQL named lock taken with a zero timeout, so other
 * instances skip the pass instead of queueing; seq and event_id uniqueness back that up.
 */
@Injectable()
export class AuditSealerService {
  private readonly lockName: string;

  constructor(
    private readonly chain: AuditChainRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    // Named locks are server-wide: scope it to this database (names are limited to 64 chars).
    const database = createHash('sha256').update(config.db.database).digest('hex').slice(0, 32);
    this.lockName = `mainspring:audit-sealer:${database}`;
  }

  /**
   * Seals every committed, unsealed event (in the window, or all with `full`). Returns how many it
   * sealed; 0 when another instance holds the sealer lock. Safe to call concurrently anywhere.
   */
  async sealPending(options: SealOptions = {}): Promise<number> {
    const { batchSize, sealLookbackSeconds } = this.config.audit;
    const floorId = options.full ? undefined : idLowerBound(Date.now() - sealLookbackSeconds * 1000);
    const runner = this.chain.createRunner();
    await runner.connect();
    try {
      if (!(await this.chain.tryLock(runner, this.lockName, options.waitSeconds ?? 0))) return 0;
      try {
        const head = await this.chain.head(runner);
        let seq = head?.seq ?? 0;
        let prevHash = head?.hash ?? GENESIS_HASH;
        let afterId: string | undefined;
        let sealed = 0;
        for (;;) {
          const events = await this.chain.unsealedEvents(runner, afterId, floorId, batchSize);
          if (events.length === 0) break;
          const sealedAt = new Date();
          const links: NewLink[] = events.map((row) => {
            seq += 1;
            const hash = linkHash(seq, prevHash, row);
            const link = { seq, eventId: row.id, prevHash, hash, sealedAt };
            prevHash = hash;
            return link;
          });
          await this.chain.insertLinks(runner, links);
          sealed += links.length;
          afterId = events[events.length - 1].id;
          if (events.length < batchSize) break;
        }
        return sealed;
      } finally {
        await this.chain.unlock(runner, this.lockName);
      }
    } finally {
      await runner.release();
    }
  }
}
