import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newId } from '../src/common/ids.js';
import { routeInputs } from './support/route-inputs.js';
import { appRoutes, type RouteEntry } from './support/routes.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createUser, type TestUser } from './support/users.js';

interface HostileCase {
  route: RouteEntry;
  what: string;
  url: string;
  body?: unknown;
  rawBody?: string;
  /**
   * What the answer must be: exactly this status, any 4xx ('refused'), or anything but a 5xx ('survived':
   * a hostile-looking value may be a legitimate one, e.g. `q=' OR 1=1 --` is a search text).
   */
  expect: number | 'refused' | 'survived';
  anonymous?: boolean;
}

const BEYOND_SAFE_INTEGER = '9007199254740993';
/** JSON texts (so numbers beyond 2^53 stay as written) that no numeric field may accept. */
const JUNK_NUMBERS_JSON = [BEYOND_SAFE_INTEGER, '-9007199254740993', '1e308', '0.5', '"1.5"', '"12abc"'];
/** Hostile JSON for any field: never a 5xx. */
const HOSTILE_JSON_VALUES = [
  '-1',
  '""',
  JSON.stringify('x'.repeat(100_000)),
  '"\\u0000"',
  '{"$gt":""}',
  '[[[]]]',
  'true',
  'null',
];
/** Query strings no numeric field may accept. */
const JUNK_NUMBERS_QUERY = [BEYOND_SAFE_INTEGER, '1e308', '1.5', 'abc', '-0.5'];
const HOSTILE_QUERY_VALUES = ['-1', 'x'.repeat(4_000), '%00', "' OR 1=1 --", '[object Object]'];
const HOSTILE_IDS = ['not-a-uuid', '1', '-1', BEYOND_SAFE_INTEGER, 'x'.repeat(300), "'%20OR%201=1--", '%00', '..%2F..'];

const withParams = (path: string, value: () => string) => path.replace(/:[A-Za-z]+/g, value);
const deepJson = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

/** Every hostile request for one route, derived from its path parameters and its DTOs. */
function casesFor(t: TestApp, route: RouteEntry): HostileCase[] {
  const cases: HostileCase[] = [];
  const hasParams = route.path.includes(':');
  const validUrl = withParams(route.path, () => newId());
  const sendsBody = ['POST', 'PUT', 'PATCH'].includes(route.method);
  if (hasParams) {
    for (const id of HOSTILE_IDS) {
      for (const anonymous of [false, true]) {
        cases.push({
          route,
          what: `path id ${id.slice(0, 20)}`,
          url: withParams(route.path, () => id),
          expect: anonymous ? 'refused' : 400,
          anonymous,
          body: sendsBody ? {} : undefined,
        });
      }
    }
  }
  const { body, query } = routeInputs(t.app, route);
  if (query) {
    cases.push({ route, what: 'unknown query field', url: `${validUrl}?unknownField=1`, expect: 400 });
    for (const field of query) {
      const values = [
        ...(field.numeric ? JUNK_NUMBERS_QUERY.map((value) => ({ value, expect: 'refused' as const })) : []),
        ...HOSTILE_QUERY_VALUES.map((value) => ({ value, expect: 'survived' as const })),
      ];
      for (const { value, expect } of values) {
        const url = `${validUrl}?${field.name}=${encodeURIComponent(value)}`;
        cases.push({ route, what: `query ${field.name}=${value.slice(0, 20)}`, url, expect });
      }
      cases.push({
        route,
        what: `query ${field.name} twice`,
        url: `${validUrl}?${field.name}=1&${field.name}=2`,
        expect: 'survived',
      });
    }
  }
  if (sendsBody) {
    cases.push({ route, what: 'deep JSON', url: validUrl, rawBody: deepJson(10_000), expect: 400 });
    cases.push({ route, what: 'JSON array body', url: validUrl, rawBody: '[]', expect: 'survived' });
    cases.push({ route, what: 'JSON string body', url: validUrl, rawBody: '"x"', expect: 'survived' });
    if (body) {
      cases.push({ route, what: 'unknown body field', url: validUrl, body: { unknownField: 1 }, expect: 400 });
      for (const field of body) {
        const values = [
          ...(field.numeric ? JUNK_NUMBERS_JSON.map((value) => ({ value, expect: 'refused' as const })) : []),
          ...HOSTILE_JSON_VALUES.map((value) => ({ value, expect: 'survived' as const })),
        ];
        for (const { value, expect } of values) {
          const rawBody = `{"${field.name}":${value}}`;
          cases.push({ route, what: `body ${field.name}: ${value.slice(0, 20)}`, url: validUrl, rawBody, expect });
        }
      }
    }
  }
  return cases;
}

/**
 * Walks every route of the route table (including routes other modules add later) with malformed ids,
 * wrong types, huge and negative numbers, decimals as strings, over-long strings, unknown fields and
 * deep JSON. Never a 5xx, every error a problem+json, nothing written (audit count unchanged); a
 * malformed path id, an unknown field and deep JSON are 400, and junk in a numeric field (beyond 2^53,
 * 1e308, decimals, decimals as strings) is refused with a 4xx. Each hostile value is sent alone (the
 * other fields absent), so what is proven is that the validation layer holds, route by route.
 */
describe('hostile input on every route', () => {
  let t: TestApp;
  let admin: TestUser;
  let routes: RouteEntry[];

  beforeAll(async () => {
    t = await startTestApp('hostile_input');
    admin = await createUser(t, ['admin']);
    routes = appRoutes(t.app).filter((route) => route.path.startsWith('/api/'));
  });
  afterAll(() => t.close());

  it('covers every API route', () => {
    expect(routes.length).toBeGreaterThanOrEqual(30);
    const inputs = routes.map((route) => routeInputs(t.app, route));
    // The DTO lookup works: some routes have body fields, some query fields, some of them numeric.
    expect(inputs.some((input) => (input.body?.length ?? 0) > 0)).toBe(true);
    expect(inputs.some((input) => input.query?.some((field) => field.numeric))).toBe(true);
    expect(inputs.some((input) => input.body?.some((field) => field.numeric))).toBe(true);
  });

  it('never answers 5xx; refuses malformed ids, unknown fields, deep JSON and junk numbers; writes nothing', async () => {
    const countAudit = async () => Number((await t.dataSource.query('SELECT COUNT(*) AS n FROM audit_events'))[0].n);
    const auditBefore = await countAudit();
    const cases = routes.flatMap((route) => casesFor(t, route));
    const failures: string[] = [];
    for (let i = 0; i < cases.length; i += 10) {
      await Promise.all(
        cases.slice(i, i + 10).map(async (hostile) => {
          let req = t.http()[hostile.route.method.toLowerCase() as 'post'](hostile.url);
          if (!hostile.anonymous) req = req.set(admin.auth);
          if (hostile.rawBody !== undefined) req = req.set('content-type', 'application/json').send(hostile.rawBody);
          else if (hostile.body !== undefined) req = req.send(hostile.body as object);
          const res = await req;
          const problem = /^application\/problem\+json/.test(res.headers['content-type'] ?? '');
          const statusOk =
            hostile.expect === 'survived'
              ? res.status < 500
              : hostile.expect === 'refused'
                ? res.status >= 400 && res.status < 500
                : res.status === hostile.expect;
          if (!statusOk || (res.status >= 400 && !problem)) {
            failures.push(
              `${hostile.route.method} ${hostile.route.path} [${hostile.what}]${hostile.anonymous ? ' anonymous' : ''}: ${res.status} ${res.headers['content-type']} ${JSON.stringify(res.body).slice(0, 200)}`,
            );
          }
        }),
      );
    }
    expect(failures).toEqual([]);
    expect(cases.length).toBeGreaterThan(routes.length * 5);
    expect(await countAudit()).toBe(auditBefore);
  });
});
