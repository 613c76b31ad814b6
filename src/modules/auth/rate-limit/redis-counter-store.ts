import { createHash } from 'node:crypto';
import type { RedisClient } from '../../../infrastructure/cache/redis-client.js';
import type { CounterStore, Tally } from './counter-store.js';

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

/** Counters in Redis, shared by every instance; an increment is one atomic Lua script (EVALSHA). */
export class RedisCounterStore implements CounterStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  async add(key: string, windowMs: number): Promise<Tally> {
    const options = { keys: [this.prefix + key], arguments: [String(windowMs)] };
    let reply: unknown;
    try {
      reply = await this.redis.evalSha(ADD_SHA, options);
    } catch (error) {
      if (!String((error as Error).message).includes('NOSCRIPT')) throw error;
      reply = await this.redis.eval(ADD, options);
    }
    const [count, ttlMs] = reply as [number, number];
    return { count, ttlMs };
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
