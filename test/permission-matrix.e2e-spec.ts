import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { hasPermission, type Role } from '../src/common/auth/permissions.js';
import { newId } from '../src/common/ids.js';
import { appRoutes, type RouteEntry } from './support/routes.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createUser, type TestUser } from './support/users.js';

type Caller = 'anonymous' | 'customer' | 'staff' | 'admin';
const CALLERS: Caller[] = ['anonymous', 'customer', 'staff', 'admin'];
const ROLES_OF: Record<Exclude<Caller, 'anonymous'>, Role[]> = {
  customer: ['customer'],
  staff: ['staff', 'customer'],
  admin: ['admin', 'customer'],
};

/** What the declared policy says this caller gets: 401, 403, or "allowed" (anything but 401/403). */
function expected(route: RouteEntry, caller: Caller): 401 | 403 | 'allowed' {
  const policy = route.policy!;
  if (policy.kind === 'public') return 'allowed';
  if (caller === 'anonymous') return 401;
  return policy.permissions.every((permission) => hasPermission(ROLES_OF[caller], permission)) ? 'allowed' : 403;
}

/**
 * Generated from the route table: every route the app registers (including any a module adds later)
 * × {anonymous, customer, staff, admin}. A route without a declared policy fails the build.
 */
describe('permission matrix', () => {
  let t: TestApp;
  let routes: RouteEntry[];
  const users = {} as Record<Exclude<Caller, 'anonymous'>, TestUser>;

  beforeAll(async () => {
    t = await startTestApp('perm_matrix');
    routes = appRoutes(t.app);
    users.customer = await createUser(t, ROLES_OF.customer);
    users.staff = await createUser(t, ROLES_OF.staff);
    users.admin = await createUser(t, ROLES_OF.admin);
  });
  afterAll(() => t.close());

  it('finds the routes Fastify actually serves', () => {
    const fastify = t.app.getHttpAdapter().getInstance();
    expect(routes.length).toBeGreaterThanOrEqual(13);
    expect(routes.map((route) => `${route.method} ${route.path}`)).toEqual(
      expect.arrayContaining(['GET /health/live', 'POST /api/v1/auth/login', 'PUT /api/v1/users/:id/roles']),
    );
    for (const route of routes) {
      expect({
        route: `${route.method} ${route.path}`,
        served: fastify.hasRoute({ method: route.method as 'GET', url: route.path }),
      }).toEqual({
        route: `${route.method} ${route.path}`,
        served: true,
      });
    }
  });

  it('every route declares its policy: @Public(), @Authenticated() or @RequirePermission(...)', () => {
    const undeclared = routes
      .filter((route) => !route.policy)
      .map((route) => `${route.method} ${route.path} (${route.controller}.${route.handler})`);
    expect(undeclared).toEqual([]);
  });

  it('every route × caller gets what its policy declares', async () => {
    const mismatches: string[] = [];
    const cases = routes
      .filter((route) => route.policy)
      .flatMap((route) => CALLERS.map((caller) => ({ route, caller })));
    // Small batches: real requests against the real app, some of them do work (e.g. an admin job run).
    for (let i = 0; i < cases.length; i += 8) {
      await Promise.all(
        cases.slice(i, i + 8).map(async ({ route, caller }) => {
          const url = route.path.replace(/:[A-Za-z]+/g, () => newId());
          let req = t.http()[route.method.toLowerCase() as 'get'](url);
          if (caller !== 'anonymous') req = req.set(users[caller].auth);
          if (['POST', 'PUT', 'PATCH'].includes(route.method)) req = req.send({});
          const res = await req;
          const want = expected(route, caller);
          const ok = want === 'allowed' ? res.status !== 401 && res.status !== 403 : res.status === want;
          if (!ok) mismatches.push(`${route.method} ${route.path} as ${caller}: expected ${want}, got ${res.status}`);
        }),
      );
    }
    expect(mismatches).toEqual([]);
    expect(cases.length).toBe(routes.length * CALLERS.length);
  });
});
