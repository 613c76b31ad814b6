import { describe, expect, it } from '@jest/globals';
import { hasPermission, PERMISSIONS, permissionsOf, ROLE_PERMISSIONS, ROLES } from './permissions.js';

describe('permission table', () => {
  it('gives admin every permission', () => {
    for (const permission of PERMISSIONS) expect(hasPermission(['admin'], permission)).toBe(true);
    expect(permissionsOf(['admin'])).toEqual(new Set(PERMISSIONS));
  });

  it('gives a customer no permission at all (ownership covers their own resources)', () => {
    expect(permissionsOf(['customer']).size).toBe(0);
    for (const permission of PERMISSIONS) expect(hasPermission(['customer'], permission)).toBe(false);
  });

  it('gives staff catalog and inventory work and read-all views, never user, plan, billing or audit admin', () => {
    expect(hasPermission(['staff'], 'catalog:write')).toBe(true);
    expect(hasPermission(['staff'], 'inventory:write')).toBe(true);
    expect(hasPermission(['staff'], 'subscriptions:read-all')).toBe(true);
    for (const permission of ['users:manage', 'plans:write', 'billing:run', 'audit:read'] as const) {
      expect(hasPermission(['staff', 'customer'], permission)).toBe(false);
    }
  });

  it('unions the permissions of several roles', () => {
    expect(permissionsOf(['staff', 'customer'])).toEqual(new Set(ROLE_PERMISSIONS.staff));
  });

  it('ignores unknown roles (a forged claim grants nothing)', () => {
    expect(permissionsOf(['root', 'superuser']).size).toBe(0);
    expect(hasPermission(['root'], 'users:manage')).toBe(false);
    expect(hasPermission([], 'users:manage')).toBe(false);
  });

  it('maps only known permissions for every role', () => {
    for (const role of ROLES) {
      for (const permission of ROLE_PERMISSIONS[role]) expect(PERMISSIONS).toContain(permission);
    }
  });
});
