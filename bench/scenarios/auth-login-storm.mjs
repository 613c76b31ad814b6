// 50 concurrent logins (argon2id with the production parameters) in the background while a rate-limited
// probe measures GET /health/live; the baseline is the same probe on the idle service. The probe is
// rate-limited (PROBE_RATE requests/s): a probe sent as fast as the server answers would itself
// saturate the event loop, and on the one CPU the bench gives the server, the hashing thread and a
// saturated loop simply share that CPU, which measures the OS's time-slicing rather than whether
// hashing blocks the loop. (autocannon's rate is a quota per connection and second: each connection
// sends its share back to back at the start of every second, then waits — bursts, in both runs.)
import { BENCH_PASSWORD, mapLimit, registerCustomer } from '../lib/fixtures.mjs';

const USERS = 50;
const PROBE_RATE = 500;

export default {
  name: 'auth-login-storm',
  description: `\`GET /health/live\` (8 connections, at most ${PROBE_RATE} req/s) while ${USERS} connections log in (\`POST /api/v1/auth/login\`, one user each, production argon2 parameters), against the same probe on the idle service. Target: p99 under 3× idle.`,
  target: 'service',
  connections: 8,
  rate: PROBE_RATE,
  async setup(ctx) {
    const users = await mapLimit(
      Array.from({ length: USERS }, (_, i) => i),
      4,
      () => registerCustomer(ctx, 'storm'),
    );
    return { emails: users.map((u) => u.email) };
  },
  request: { method: 'GET', path: '/health/live' },
  // One customer per connection (`perConnection`): the storm is 50 customers logging in at once. Cycling
  // the list on every connection instead sent all 50 connections to one customer at a time, and that
  // account's password-check budget (LOGIN_FAILURES_PER_EMAIL, taken before the check) answered 429 to
  // all but 5 of them: 1,700-1,900 non-2xx per run, none of them a limit a real storm would meet.
  background: (s) => ({
    connections: USERS,
    perConnection: true,
    requests: s.emails.map((email) => ({
      method: 'POST',
      path: '/api/v1/auth/login',
      body: { email, password: BENCH_PASSWORD },
    })),
  }),
  backgroundOnReferences: false,
  baseline: { server: 'service', label: 'idle GET /health/live', request: { method: 'GET', path: '/health/live' } },
  // A p99 of a bursty probe while a hash thread shares the CPU: single pairs range from 1.8× to 3.5×.
  minPairs: 5,
  targets: { maxP99Ratio: 3, maxNon2xx: 0, maxBackgroundNon2xx: 0 },
};
