import { createHash } from 'node:crypto';
import type { RedisClient } from '../../../infrastructure/cache/redis-client.js';
import type { CounterStore, HitResult, Tally } from './counter-store.js';

/**
 * KEYS[1] counter, KEYS[2] block marker; ARGV window ms, limit, block ms.
 * Returns {hits, windowMs, blocked (0/1), blockMs}. A blocked key is not counted while blocked.
 */
const HIT = `
local blocked = redis.call('PTTL', KEYS[2])
if blocked > 0 then
  local hits = tonumber(redis.call('GET', KEYS[1]) or '0')
  return {hits, math.max(redis.call('PTTL', KEYS[1]), 0), 1, blocked}
end
local hits = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
if hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  return {hits, ttl, 1, tonumber(ARGV[3])}
end
return {hits, ttl, 0, 0}`;

/** KEYS[1] tally; ARGV window ms. Returns {count, ttlMs}; the window starts at the first increment. */
const ADD = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`;

const sha1 = (script: string) => createHash('sha1').update(script).digest('hex');
const HIT_SHA = sha1(HIT);
const ADD_SHA = sha1(ADD);

/** Counters in Redis, shared by every instance; each update is one atomic Lua script. */
export class RedisCounterStore implements CounterStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  async hit(key: string, windowMs: number, limit: number, blockMs: number): Promise<HitResult> {
    const k = this.prefix + key;
    const [totalHits, ttl, blocked, blockTtl] = await this.script(
      HIT,
      HIT_SHA,
      [k, `${k}:blocked`],
      [String(windowMs), String(limit), String(Math.max(blockMs, 1))],
    );
    return { totalHits, windowMs: ttl, blocked: blocked === 1, blockMs: blockTtl };
  }

  async peek(key: string): Promise<Tally> {
    const k = this.prefix + key;
    const [count, ttl] = await Promise.all([this.redis.get(k), this.redis.pTTL(k)]);
    return count === null ? { count: 0, ttlMs: 0 } : { count: Number(count), ttlMs: Math.max(Number(ttl), 0) };
  }

  async add(key: string, windowMs: number): Promise<Tally> {
    const [count, ttl] = await this.script(ADD, ADD_SHA, [this.prefix + key], [String(windowMs)]);
    return { count, ttlMs: ttl };
  }

  async reset(key: string): Promise<void> {
    const k = this.prefix + key;
    await this.redis.del([k, `${k}:blocked`]);
  }

  private async script(script: string, sha: string, keys: string[], args: string[]): Promise<number[]> {
    try {
      return (await this.redis.evalSha(sha, { keys, arguments: args })) as number[];
    } catch (error) {
      if (!String((error as Error).message).includes('NOSCRIPT')) throw error;
      return (await this.redis.eval(script, { keys, arguments: args })) as number[];
    }
  }
}
