import type { AuthenticatedActor } from '../../infrastructure/http/request-context.js';
import { notFound } from '../errors/domain-error.js';
import { hasPermission, type Permission } from './permissions.js';

/**
 * The one ownership rule: the owner, or a caller whose roles grant `permission`, may see the
 * resource; anyone else gets 404, exactly as if it did not exist (no existence leak).
 */
export function assertOwnerOr(
  actor: AuthenticatedActor,
  ownerId: string,
  permission: Permission,
  entity: string,
): void {
  if (actor.id !== ownerId && !hasPermission(actor.roles, permission)) throw notFound(entity);
}

/** For list queries: the user id to restrict to, or undefined when the caller may see everyone's. */
export function ownerScope(actor: AuthenticatedActor, permission: Permission): string | undefined {
  return hasPermission(actor.roles, permission) ? undefined : actor.id;
}
