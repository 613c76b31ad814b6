import { Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { newId } from '../../../common/ids.js';
import { decodeCursor, type Page, pageSize, toPage } from '../../../common/pagination/pagination.js';
import { isDuplicateKey } from '../../../infrastructure/database/mysql-errors.js';
import { ReadReplicas } from '../../../infrastructure/database/read-replicas.service.js';
import { TransactionService } from '../../../infrastructure/database/transaction.service.js';
import { AuditService, diffChanges } from '../../audit/index.js';
import {
  type CreateProductBody,
  mapProduct,
  type ProductQuery,
  type ProductResponse,
  type ProductRow,
  type UpdateProductBody,
} from '../dto/product.dto.js';
import { Product } from '../entities/product.entity.js';
import { InventoryCacheTtl } from '../inventory.cache-keys.js';
import { InventoryErrors } from '../inventory.errors.js';
import { type ProductFields, ProductRepository } from '../repositories/product.repository.js';
import { StockRepository } from '../repositories/stock.repository.js';
import { CatalogCacheService } from './catalog-cache.service.js';

const EDITABLE: readonly (keyof ProductFields)[] = ['sku', 'name', 'description', 'priceCents', 'currency', 'active'];

function fieldsOf(product: Product): Record<string, unknown> {
  return Object.fromEntries(EDITABLE.map((field) => [field, product[field]]));
}

@Injectable()
export class ProductService {
  constructor(
    private readonly products: ProductRepository,
    private readonly stock: StockRepository,
    private readonly transactions: TransactionService,
    private readonly audit: AuditService,
    private readonly catalog: CatalogCacheService,
    private readonly replicas: ReadReplicas,
  ) {}

  /**
   * The product; synchronously when this instance's near cache has it (the hot read: no promise, no
   * await chain per request), else through Redis and MySQL.
   */
  get(id: string): ProductResponse | Promise<ProductResponse> {
    return this.catalog.nearProduct(id) ?? this.load(id);
  }

  private async load(id: string): Promise<ProductResponse> {
    const product = await this.catalog.product(id, async () => {
      const row = await this.products.findRowById(id);
      return row && mapProduct(row);
    });
    if (!product) throw InventoryErrors.productNotFound();
    return product;
  }

  async list(query: ProductQuery): Promise<Page<ProductResponse>> {
    const limit = pageSize(query);
    const [afterId] = (decodeCursor(query.cursor, 1) ?? []) as string[];
    const key = { q: query.q ?? null, active: query.active ?? null, limit, cursor: query.cursor ?? null };
    // A catalogue page may lag (replica, docs/scaling.md); a product by id never does (it is read from the
    // primary: read-your-writes after a PATCH).
    return this.catalog.productPage(
      key,
      () => this.replicas.read((db) => this.loadPage(query, limit, afterId, db)),
      this.replicas.cacheTtl(InventoryCacheTtl.listMs),
    );
  }

  private async loadPage(
    query: ProductQuery,
    limit: number,
    afterId: string | undefined,
    db: DataSource,
  ): Promise<Page<ProductResponse>> {
    const filter = { limit: limit + 1, afterId, active: query.active };
    let rows: ProductRow[];
    if (query.q === undefined) {
      rows = await this.products.list(filter, db);
    } else {
      // Two index-served prefix ranges, merged in id order: the first limit+1 ids of the union are
      // among the first limit+1 of each side.
      const [byName, bySku] = await Promise.all([
        this.products.prefixSearch('name', query.q, filter, db),
        this.products.prefixSearch('sku', query.q, filter, db),
      ]);
      const merged = new Map<string, ProductRow>();
      for (const row of [...byName, ...bySku]) merged.set(row.id, row);
      rows = [...merged.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).slice(0, limit + 1);
    }
    return toPage(rows, limit, (row) => [row.id], mapProduct);
  }

  async create(dto: CreateProductBody): Promise<ProductResponse> {
    const now = new Date();
    const product = Object.assign(new Product(), {
      id: newId(),
      sku: dto.sku,
      name: dto.name,
      description: dto.description ?? null,
      priceCents: dto.priceCents,
      currency: dto.currency,
      active: dto.active ?? true,
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
    const initialStock = dto.initialStock ?? 0;
    try {
      await this.transactions.run(async (manager) => {
        await this.products.insert(manager, product);
        await this.stock.createLevel(manager, product.id, initialStock);
        if (initialStock > 0) {
          await this.stock.appendMovements(
            manager,
            [
              {
                productId: product.id,
                kind: 'initial',
                deltaOnHand: initialStock,
                deltaReserved: 0,
                referenceType: 'product',
                referenceId: product.id,
                reason: 'initial stock',
              },
            ],
            now,
          );
        }
        await this.audit.record(manager, {
          action: 'product.create',
          entityType: 'product',
          entityId: product.id,
          changes: { ...fieldsOf(product), initialStock },
        });
      });
    } catch (error) {
      if (isDuplicateKey(error)) throw InventoryErrors.duplicateSku(dto.sku);
      throw error;
    }
    await this.catalog.invalidate([product.id]);
    return mapProduct(this.toRow(product, initialStock, 0));
  }

  async update(id: string, dto: UpdateProductBody, expectedVersion: number | undefined): Promise<ProductResponse> {
    let result: ProductResponse;
    try {
      result = await this.transactions.run(async (manager) => {
        const current = await this.products.lockById(manager, id);
        if (!current) throw InventoryErrors.productNotFound();
        if (expectedVersion !== undefined && expectedVersion !== current.version) {
          throw InventoryErrors.productVersionMismatch(current.version);
        }
        const changed: ProductFields = {};
        for (const field of EDITABLE) {
          const next = dto[field];
          if (next === undefined || next === current[field]) continue;
          (changed as Record<string, unknown>)[field] = next;
        }
        if (Object.keys(changed).length > 0) {
          const now = new Date();
          if (!(await this.products.update(manager, id, current.version, changed, now))) {
            throw InventoryErrors.productVersionMismatch(current.version);
          }
          await this.audit.record(manager, {
            action: 'product.update',
            entityType: 'product',
            entityId: id,
            changes: diffChanges(fieldsOf(current), { ...fieldsOf(current), ...changed }),
          });
        }
        const row = await this.products.findRowById(id, manager);
        if (!row) throw InventoryErrors.productNotFound();
        return mapProduct(row);
      });
    } catch (error) {
      if (isDuplicateKey(error)) throw InventoryErrors.duplicateSku(dto.sku ?? '');
      throw error;
    }
    await this.catalog.invalidate([id]);
    return result;
  }

  private toRow(product: Product, onHand: number, reserved: number): ProductRow {
    return {
      id: product.id,
      sku: product.sku,
      name: product.name,
      description: product.description,
      price_cents: product.priceCents,
      currency: product.currency,
      active: product.active,
      version: product.version,
      created_at: product.createdAt,
      updated_at: product.updatedAt,
      on_hand: onHand,
      reserved,
    };
  }
}
