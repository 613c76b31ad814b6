import { describe, expect, it } from '@jest/globals';
import helmet from 'helmet';
import { staticHeadersOf } from './static-headers.js';

describe(staticHeadersOf.name, () => {
  it('captures what helmet sets, once', () => {
    const headers = new Map(
      staticHeadersOf(helmet({ contentSecurityPolicy: { directives: { defaultSrc: [`'self'`] } } })),
    );
    expect(headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(String(headers.get('Content-Security-Policy'))).toContain(`default-src 'self'`);
    expect(headers.has('X-Powered-By')).toBe(false);
  });

  it('refuses middleware whose headers depend on the request or that answers later', () => {
    expect(() => staticHeadersOf((req, _res, next) => next(void req.headers))).toThrow(/read req.headers/);
    expect(() => staticHeadersOf((_req, _res, next) => setTimeout(next, 0))).toThrow(/synchronously/);
    expect(() => staticHeadersOf((_req, _res, next) => next(new Error('nope')))).toThrow(/nope/);
  });
});
