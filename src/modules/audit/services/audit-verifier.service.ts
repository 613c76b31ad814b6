import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config.js';
import { AuditChainRepository, type ChainHead, type LinkWithEvent } from '../repositories/audit-chain.repository.js';
import { GENESIS_HASH, linkHash } from './chain.js';
import { AuditSealerService } from './audit-sealer.service.js';

export interface VerifyResult {
  ok: boolean;
  /** Links verified intact (all of them when ok; those before the break otherwise). */
  checked: number;
  /** The first event whose link does not verify (changed, deleted, reordered or missing link before it). */
  firstBrokenId?: string;
  /** Where the break is, in words. */
  reason?: string;
  /** The last link: export it elsewhere (logs, another system) to detect a rebuilt chain later. */
  head: ChainHead | null;
  /** Events committed but not (yet) in the chain when verification ended. */
  unsealed: number;
}

/**
 * Walks the chain in seq order in fixed-size batches (memory bounded by the batch, whatever the
 * table size) and recomputes every link from the stored event and the previous link.
 */
@Injectable()
export class AuditVerifierService {
  constructor(
    private readonly chain: AuditChainRepository,
    private readonly sealer: AuditSealerService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async verify(): Promise<VerifyResult> {
    // Seal everything committed so far first, so `checked` covers every event recorded before the call.
    await this.sealer.sealPending({ full: true, waitSeconds: 10 });
    const batchSize = this.config.audit.batchSize;
    let prevHash = GENESIS_HASH;
    let checked = 0; // while intact, also the seq of the last link read
    let head: ChainHead | null = null;
    for (;;) {
      const links = await this.chain.linksAfter(checked, batchSize);
      for (const link of links) {
        const problem = this.check(link, checked + 1, prevHash);
        if (problem) {
          const unsealed = await this.chain.countUnsealed();
          return { ok: false, checked, firstBrokenId: link.linkEventId, reason: problem, head, unsealed };
        }
        prevHash = link.hash;
        checked += 1;
        head = { seq: link.seq, eventId: link.linkEventId, hash: link.hash };
      }
      if (links.length < batchSize) break;
    }
    return { ok: true, checked, head, unsealed: await this.chain.countUnsealed() };
  }

  private check(link: LinkWithEvent, expectedSeq: number, prevHash: string): string | undefined {
    if (link.seq !== expectedSeq) return `link ${expectedSeq} is missing`;
    if (link.prevHash !== prevHash) return `link ${link.seq} does not follow link ${expectedSeq - 1}`;
    if (link.id === null) return `the event of link ${link.seq} was deleted`;
    const event = { ...link, id: link.id };
    if (linkHash(link.seq, prevHash, event) !== link.hash) return `the event of link ${link.seq} was changed`;
    return undefined;
  }
}
