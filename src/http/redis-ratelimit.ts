// The portal's leaky bucket shared by every node through Redis: one atomic Lua script per request reads the
// bucket, drains it by the time passed on Redis's own clock (so nodes' clocks do not matter), and counts the request
// or refuses it. A node that cannot reach Redis falls back to its own buckets and says so in the log.
import type { Redis } from 'ioredis';
import type { RateLimitSettings } from '../config.ts';
import { RateLimiter, type RequestLimiter, type Verdict } from './ratelimit.ts';

// KEYS[1] bucket; ARGV rps, burst. Returns {1, 0} when allowed, {0, seconds until one more fits} when refused.
const LEAKY_BUCKET = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rps = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local b = redis.call('HMGET', KEYS[1], 'level', 'at')
local level = tonumber(b[1]) or 0
local at = tonumber(b[2]) or now
level = math.max(0, level - (now - at) / 1000 * rps)
local ttl = math.ceil(burst / rps * 1000) + 1000
if level + 1 > burst then
  redis.call('HSET', KEYS[1], 'level', tostring(level), 'at', tostring(now))
  redis.call('PEXPIRE', KEYS[1], ttl)
  return {0, math.max(1, math.ceil((level + 1 - burst) / rps))}
end
redis.call('HSET', KEYS[1], 'level', tostring(level + 1), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], ttl)
return {1, 0}
`;

type BucketRedis = Redis & { leakyBucket(key: string, rps: number, burst: number): Promise<[number, number]> };

export class RedisRateLimiter implements RequestLimiter {
  /** The client, loaded on first use: a node without Redis configured never loads ioredis at all. */
  private readonly redis: Promise<BucketRedis>;
  private readonly local: RateLimiter;
  private warned = false;

  constructor(
    private readonly settings: RateLimitSettings,
    url: string,
    private readonly prefix: string,
    private readonly warn: (msg: string, err: unknown) => void,
  ) {
    // A request never waits for a Redis that is away: one try, then the node's own buckets.
    // ioredis is CommonJS: bundled (npm run build) its exports sit under `default`, run from source they are named.
    this.redis = import('ioredis').then(async (mod) => {
      const Client = mod.Redis ?? (mod as unknown as { default: typeof mod }).default.Redis;
      const redis = new Client(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000 }) as BucketRedis;
      redis.on('error', (err) => this.fellBack(err));
      redis.defineCommand('leakyBucket', { numberOfKeys: 1, lua: LEAKY_BUCKET });
      // The first requests wait for the first connection (at most its timeout), not only later ones.
      await new Promise<void>((ready) => {
        redis.once('ready', ready);
        redis.once('error', () => ready());
      });
      return redis;
    });
    this.redis.catch((err) => this.fellBack(err));
    this.local = new RateLimiter(settings);
  }

  async take(key: string): Promise<Verdict> {
    try {
      const [allowed, retryAfter] = await (await this.redis).leakyBucket(`${this.prefix}${key}`, this.settings.rps, this.settings.burst);
      this.warned = false;
      return allowed === 1 ? { allowed: true } : { allowed: false, retryAfter };
    } catch (err) {
      this.fellBack(err);
      return this.local.take(key);
    }
  }

  async close(): Promise<void> {
    (await this.redis.catch(() => undefined))?.disconnect();
  }

  private fellBack(err: unknown): void {
    if (this.warned) return;
    this.warned = true;
    this.warn('rate limit: Redis unreachable, counting in this node only until it is back', err);
  }
}
