import { Injectable } from '@nestjs/common';
import { decodeCursor, type Page, pageSize, toPage } from '../../../common/pagination/pagination.js';
import { TransactionService } from '../../../infrastructure/database/transaction.service.js';
import { AuditService } from '../../audit/index.js';
import {
  type CreateAdjustmentBody,
  mapMovement,
  type MovementQuery,
  type MovementResponse,
  type ReconcileReport,
} from '../dto/movement.dto.js';
import { InventoryErrors } from '../inventory.errors.js';
import { StockRepository } from '../repositories/stock.repository.js';
import { CatalogCacheService } from './catalog-cache.service.js';

/** Manual stock adjustments, the movement ledger, and the ledger-vs-stock reconciliation. */
@Injectable()
export class StockLedgerService {
  constructor(
    private readonly stock: StockRepository,
    private readonly transactions: TransactionService,
    private readonly audit: AuditService,
    private readonly catalog: CatalogCacheService,
  ) {}

  async adjust(dto: CreateAdjustmentBody): Promise<MovementResponse> {
    const now = new Date();
    const movement = await this.transactions.run(async (manager) => {
      if (!(await this.stock.adjust(manager, dto.productId, dto.delta))) {
        const level = await this.stock.level(dto.productId, manager);
        if (!level) throw InventoryErrors.productNotFound();
        throw InventoryErrors.belowReserved(dto.productId, level.onHand, level.reserved, dto.delta);
      }
      const [appended] = await this.stock.appendMovements(
        manager,
        [
          {
            productId: dto.productId,
            kind: 'adjustment',
            deltaOnHand: dto.delta,
            deltaReserved: 0,
            reason: dto.reason,
          },
        ],
        now,
      );
      await this.audit.record(manager, {
        action: 'inventory.adjust',
        entityType: 'product',
        entityId: dto.productId,
        changes: { delta: dto.delta, reason: dto.reason, movementId: appended.id },
      });
      return appended;
    });
    await this.catalog.invalidate([dto.productId]);
    return mapMovement(movement);
  }

  async movements(query: MovementQuery): Promise<Page<MovementResponse>> {
    const limit = pageSize(query);
    const [beforeId] = (decodeCursor(query.cursor, 1) ?? []) as string[];
    const rows = await this.stock.listMovements({ productId: query.productId, beforeId, limit: limit + 1 });
    return toPage(rows, limit, (row) => [row.id], mapMovement);
  }

  async reconcile(): Promise<ReconcileReport> {
    const { checked, mismatches } = await this.stock.reconcile();
    return {
      ok: mismatches.length === 0,
      checked,
      mismatches: mismatches.map((row) => ({
        productId: row.product_id,
        onHand: Number(row.on_hand),
        reserved: Number(row.reserved),
        ledgerOnHand: Number(row.ledger_on_hand ?? 0),
        ledgerReserved: Number(row.ledger_reserved ?? 0),
      })),
    };
  }
}
