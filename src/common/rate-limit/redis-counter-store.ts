import { createHash } from 'node:crypto';
import type { RedisClient } from '../../infrastructure/cache/redis-client.js';
import type { CounterStore, Tally } from './counter-store.js';
import { LEASE_DIVISOR, type Lease, MAX_LEASE } from './lease-limiter.js';

/** KEYS[1] counter; ARGV[1] window ms. INCR, and start the window on the first increment; {count, ttlMs}. */
const ADD = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`;
const ADD_SHA = createHash('sha1').update(ADD).digest('hex');

/**
 * KEYS[1] counter; ARGV[1] window ms, ARGV[2] limit, ARGV[3] divisor, ARGV[4] max lease. Adds a lease
 * of max(1, min(max, floor((limit − count) / divisor))) slots (leaseSize() in lease-limiter.ts) and
 * starts the window on the first increment; {count after, granted, ttlMs}.
 */
const LEASE = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local granted = math.floor((tonumber(ARGV[2]) - current) / tonumber(ARGV[3]))
if granted > tonumber(ARGV[4]) then granted = tonumber(ARGV[4]) end
if granted < 1 then granted = 1 end
local count = redis.call('INCRBY', KEYS[1], granted)
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, granted, ttl}`;
const LEASE_SHA = createHash('sha1').update(LEASE).digest('hex');

/** Counters in Redis, shared by every instance; an increment is one atomic Lua script (EVALSHA). */
export class RedisCounterStore implements CounterStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  async add(key: string, windowMs: number): Promise<Tally> {
    const reply = await this.script(ADD, ADD_SHA, { keys: [this.prefix + key], arguments: [String(windowMs)] });
    const [count, ttlMs] = reply as [number, number];
    return { count, ttlMs };
  }

  async lease(key: string, limit: number, windowMs: number): Promise<Lease> {
    const reply = await this.script(LEASE, LEASE_SHA, {
      keys: [this.prefix + key],
      arguments: [String(windowMs), String(limit), String(LEASE_DIVISOR), String(MAX_LEASE)],
    });
    const [count, granted, ttlMs] = reply as [number, number, number];
    return { count, granted, ttlMs };
  }

  private async script(source: string, sha: string, options: { keys: string[]; arguments: string[] }) {
    try {
      return await this.redis.evalSha(sha, options);
    } catch (error) {
      if (!String((error as Error).message).includes('NOSCRIPT')) throw error;
      return this.redis.eval(source, options);
    }
  }

  async peek(key: string): Promise<Tally> {
    const k = this.prefix + key;
    const [count, ttl] = await Promise.all([this.redis.get(k), this.redis.pTTL(k)]);
    return count === null ? { count: 0, ttlMs: 0 } : { count: Number(count), ttlMs: Math.max(Number(ttl), 0) };
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }
}
