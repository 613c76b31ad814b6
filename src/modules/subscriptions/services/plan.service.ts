import { Injectable } from '@nestjs/common';
import { hasPermission } from '../../../common/auth/permissions.js';
import { newId } from '../../../common/ids.js';
import { decodeCursor, type Page, pageSize, toPage } from '../../../common/pagination/pagination.js';
import { isDuplicateKey } from '../../../infrastructure/database/mysql-errors.js';
import { TransactionService } from '../../../infrastructure/database/transaction.service.js';
import type { AuthenticatedActor } from '../../../infrastructure/http/request-context.js';
import { AuditService, diffChanges } from '../../audit/index.js';
import {
  type CreatePlanBody,
  mapPlan,
  type PlanListQuery,
  type PlanResponse,
  type UpdatePlanBody,
} from '../dto/plan.dto.js';
import type { Plan } from '../entities/plan.entity.js';
import { PlanRepository } from '../repositories/plan.repository.js';
import { SubscriptionErrors } from '../subscriptions.errors.js';
import { BillingCacheService } from './billing-cache.service.js';
import { StockAdapter } from './stock.adapter.js';

@Injectable()
export class PlanService {
  constructor(
    private readonly plans: PlanRepository,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly stock: StockAdapter,
    private readonly cache: BillingCacheService,
  ) {}

  async create(dto: CreatePlanBody): Promise<PlanResponse> {
    const items = dto.items ?? [];
    await this.stock.assertProductsExist(items.map((item) => item.productId));
    const now = new Date();
    const plan: Plan = {
      id: newId(),
      code: dto.code,
      name: dto.name,
      priceCents: dto.priceCents,
      currency: dto.currency,
      interval: dto.interval,
      trialDays: dto.trialDays ?? 0,
      features: [...new Set(dto.features ?? [])],
      items: items.map((item) => ({ productId: item.productId, quantity: item.quantity })),
      active: true,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.tx.run(async (manager) => {
        await this.plans.insert(manager, plan);
        await this.audit.record(manager, {
          action: 'plan.create',
          entityType: 'plan',
          entityId: plan.id,
          changes: mapPlan(plan) as unknown as Record<string, unknown>,
        });
      });
    } catch (error) {
      if (isDuplicateKey(error)) throw SubscriptionErrors.duplicatePlanCode(dto.code);
      throw error;
    }
    await this.cache.planChanged(plan.id);
    return mapPlan(plan);
  }

  async list(query: PlanListQuery, actor: AuthenticatedActor | undefined): Promise<Page<PlanResponse>> {
    const limit = pageSize(query);
    const includeInactive = mayListInactive(query.includeInactive === true, actor);
    const after = decodeCursor(query.cursor, 1);
    const rows = await this.plans.list({ includeInactive, afterId: after?.[0] as string | undefined, limit });
    return toPage(rows, limit, (plan) => [plan.id], mapPlan);
  }

  async get(id: string): Promise<PlanResponse> {
    const plan = await this.plans.findById(id);
    if (!plan) throw SubscriptionErrors.planNotFound();
    return mapPlan(plan);
  }

  /** Name, active, features and price (a new price applies to each subscription from its next period). */
  async update(id: string, dto: UpdatePlanBody, ifMatch?: number): Promise<PlanResponse> {
    const updated = await this.tx.run(async (manager) => {
      const plan = await this.plans.findById(id, manager);
      if (!plan) throw SubscriptionErrors.planNotFound();
      if (ifMatch !== undefined && ifMatch !== plan.version) throw SubscriptionErrors.versionMismatch();
      const changes: Partial<Plan> = {};
      if (dto.name !== undefined) changes.name = dto.name;
      if (dto.active !== undefined) changes.active = dto.active;
      if (dto.features !== undefined) changes.features = [...new Set(dto.features)];
      if (dto.priceCents !== undefined) changes.priceCents = dto.priceCents;
      const after: Plan = { ...plan, ...changes, version: plan.version + 1, updatedAt: new Date() };
      if (!(await this.plans.update(manager, id, plan.version, { ...changes, updatedAt: after.updatedAt }))) {
        throw SubscriptionErrors.versionMismatch();
      }
      await this.audit.record(manager, {
        action: 'plan.update',
        entityType: 'plan',
        entityId: id,
        changes: diffChanges(
          mapPlan(plan) as unknown as Record<string, unknown>,
          mapPlan(after) as unknown as Record<string, unknown>,
        ),
      });
      return after;
    });
    await this.cache.planChanged(id);
    return mapPlan(updated);
  }
}

/** Deactivated plans are listed only when asked for, and only to callers who may change plans. */
export function mayListInactive(asked: boolean, actor: AuthenticatedActor | undefined): boolean {
  return asked && actor !== undefined && hasPermission(actor.roles, 'plans:write');
}
