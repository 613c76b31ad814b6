import type { Reflector } from '@nestjs/core';
import { IS_AUTHENTICATED } from './authenticated.decorator.js';
import type { Permission } from './permissions.js';
import { IS_PUBLIC } from './public.decorator.js';
import { REQUIRED_PERMISSIONS } from './require-permission.decorator.js';

/** What a route declares about who may call it; AccessPolicy enforces it, the matrix test reads it. */
export type RoutePolicy =
  { readonly kind: 'public' } | { readonly kind: 'authenticated'; readonly permissions: readonly Permission[] };

type Targets = Parameters<Reflector['getAllAndOverride']>[1];

/**
 * The policy a handler declares (handler metadata over its controller's), or undefined when it
 * declares none: @Public(), @Authenticated() or @RequirePermission(...).
 */
export function declaredPolicy(reflector: Reflector, targets: Targets): RoutePolicy | undefined {
  const isPublic = reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets);
  if (isPublic) return { kind: 'public' };
  const permissions = reflector.getAllAndMerge<Permission[]>(REQUIRED_PERMISSIONS, targets) ?? [];
  const authenticated = reflector.getAllAndOverride<boolean | undefined>(IS_AUTHENTICATED, targets);
  if (permissions.length > 0 || authenticated) return { kind: 'authenticated', permissions };
  return undefined;
}
