import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { assertOwnerOr } from '../../../common/auth/ownership.js';
import { hasPermission } from '../../../common/auth/permissions.js';
import { forbidden, notFound } from '../../../common/errors/domain-error.js';
import type { AuthenticatedActor } from '../../../infrastructure/http/request-context.js';
import type { Subscription } from '../entities/subscription.entity.js';
import { SubscriptionRepository } from '../repositories/subscription.repository.js';

export const SUBSCRIPTION_ENTITY = 'Subscription';

/** Who may see and who may change a subscription. */
@Injectable()
export class SubscriptionAccess {
  constructor(private readonly subscriptions: SubscriptionRepository) {}

  /** Owner, or anyone who may read all subscriptions; others get 404. */
  async visible(actor: AuthenticatedActor, id: string): Promise<Subscription> {
    const subscription = await this.subscriptions.findById(id);
    if (!subscription) throw notFound(SUBSCRIPTION_ENTITY);
    assertOwnerOr(actor, subscription.userId, 'subscriptions:read-all', SUBSCRIPTION_ENTITY);
    return subscription;
  }

  /** Owner or `subscriptions:manage-all`; staff may see but not change someone else's (403). */
  async manageable(actor: AuthenticatedActor, id: string): Promise<Subscription> {
    const subscription = await this.visible(actor, id);
    if (subscription.userId !== actor.id && !hasPermission(actor.roles, 'subscriptions:manage-all')) throw forbidden();
    return subscription;
  }

  /**
   * The row locked FOR UPDATE in the caller's transaction, where a change re-reads what it decides on
   * (access was checked before, on an unlocked read); 404 when it is gone.
   */
  async locked(manager: EntityManager, id: string): Promise<Subscription> {
    const current = await this.subscriptions.findForUpdate(manager, id);
    if (!current) throw notFound(SUBSCRIPTION_ENTITY);
    return current;
  }
}
