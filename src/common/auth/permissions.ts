/**
 * The one table mapping roles to permissions. Handlers declare what they need with
 * @RequirePermission(...); routes without a declaration only need an authenticated caller.
 */
export const ROLES = ['admin', 'staff', 'customer'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'users:manage',
  'catalog:write',
  'inventory:write',
  'inventory:read-all',
  'plans:write',
  'subscriptions:read-all',
  'subscriptions:manage-all',
  'billing:run',
  'billing:read',
  'audit:read',
  'orders:read-all',
  'orders:refund',
  'webhooks:manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const STAFF: readonly Permission[] = [
  'catalog:write',
  'inventory:write',
  'inventory:read-all',
  'subscriptions:read-all',
  'orders:read-all',
  'orders:refund',
];

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  admin: PERMISSIONS,
  staff: STAFF,
  customer: [],
};

export function permissionsOf(roles: readonly string[]): Set<Permission> {
  return new Set(roles.flatMap((role) => ROLE_PERMISSIONS[role as Role] ?? []));
}

export function hasPermission(roles: readonly string[], permission: Permission): boolean {
  return roles.some((role) => ROLE_PERMISSIONS[role as Role]?.includes(permission) ?? false);
}
