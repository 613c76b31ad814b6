import { SetMetadata } from '@nestjs/common';

export const SKIP_RATE_LIMIT = 'rate-limit:skip';
export const LOGIN_RATE_LIMIT = 'rate-limit:login';

/** Exempts a route (or controller) from every rate limit: health probes, metrics scrapes. */
export const SkipRateLimit = () => SetMetadata(SKIP_RATE_LIMIT, true);

/** Also counts the route against the per-IP login budget (LOGIN_PER_IP_PER_MINUTE): login, register. */
export const LoginRateLimit = () => SetMetadata(LOGIN_RATE_LIMIT, true);
