// The caller's profile with a bearer token, warm: served from the cached profile (no SQL), against bare NestJS.
import { bearer, registerCustomer } from '../lib/fixtures.mjs';

export default {
  name: 'auth-me',
  description: '`GET /api/v1/auth/me` (bearer, warm: the cached profile, 0 SQL) against bare NestJS.',
  target: 'service',
  async setup(ctx) {
    const user = await registerCustomer(ctx, 'me');
    const warm = await ctx.http('GET', '/api/v1/auth/me', { headers: bearer(user.token) });
    if (warm.status !== 200 || warm.json.id !== user.id)
      throw new Error(`warm-up /auth/me: ${warm.status} ${warm.text}`);
    return { token: user.token };
  },
  request: (s) => ({ method: 'GET', path: '/api/v1/auth/me', headers: bearer(s.token) }),
  baseline: 'nest',
  targets: { minRatio: 0.65, maxP99Ratio: 1.5, maxNon2xx: 0 },
};
