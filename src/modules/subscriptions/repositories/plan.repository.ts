import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import { affectedRows } from '../../../infrastructure/database/sql.js';
import { Plan } from '../entities/plan.entity.js';

export interface PlanListFilter {
  includeInactive: boolean;
  afterId?: string;
  limit: number;
}

/** Every query on `plans`. */
@Injectable()
export class PlanRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, plan: Plan): Promise<void> {
    await manager.insert(Plan, plan);
  }

  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<Plan | null> {
    return manager.findOneBy(Plan, { id });
  }

  async findByIds(
    ids: readonly string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Map<string, Plan>> {
    if (ids.length === 0) return new Map();
    const plans = await manager.findBy(Plan, { id: In([...new Set(ids)]) });
    return new Map(plans.map((plan) => [plan.id, plan]));
  }

  /** Keyset page in id order (idx_plans_active for the public, active-only list). */
  list(filter: PlanListFilter): Promise<Plan[]> {
    const query = this.dataSource.manager
      .createQueryBuilder(Plan, 'p')
      .orderBy('p.id', 'ASC')
      .limit(filter.limit + 1);
    if (!filter.includeInactive) query.andWhere('p.active = 1');
    if (filter.afterId) query.andWhere('p.id > :afterId', { afterId: filter.afterId });
    return query.getMany();
  }

  /** Conditional update on the version read: false when someone else changed the plan in between. */
  async update(manager: EntityManager, id: string, version: number, changes: Partial<Plan>): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(Plan)
      .set({ ...changes, version: () => 'version + 1' })
      .where('id = :id AND version = :version', { id, version })
      .execute();
    return affectedRows(result) === 1;
  }
}
