// Request-rate limit as a portal applies it: a leaky bucket per credential (webhook or token).
// Each request adds 1; the level drains by `rps` per second; a request that would lift it above `burst`
// is refused with 503 QUERY_LIMIT_EXCEEDED. In memory, each node keeping its own buckets (the default), or shared by
// every node through Redis (redis-ratelimit.ts), so a client cannot multiply its limit by the number of nodes.
import type { RateLimitSettings } from '../config.ts';
import { Errors } from '../errors.ts';

/** One request counted: allowed, or refused with the seconds until one more fits (Retry-After). */
export type Verdict = { allowed: true } | { allowed: false; retryAfter: number };

export interface RequestLimiter {
  take(key: string): Promise<Verdict>;
  close(): Promise<void>;
}

interface Bucket {
  level: number;
  at: number;
}

/** Buckets that drained to zero carry no state; they are swept now and then so memory follows active credentials. */
const SWEEP_EVERY_MS = 60_000;

export class RateLimiter implements RequestLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private lastSweep: number;

  constructor(
    readonly settings: RateLimitSettings,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.lastSweep = now();
  }

  async take(key: string): Promise<Verdict> {
    try {
      this.takeNow(key);
      return { allowed: true };
    } catch {
      return { allowed: false, retryAfter: this.retryAfter(key) };
    }
  }

  async close(): Promise<void> {}

  /** Counts one request of `key`; throws QUERY_LIMIT_EXCEEDED when the bucket is full. */
  takeNow(key: string): void {
    const t = this.now();
    if (t - this.lastSweep > SWEEP_EVERY_MS) this.sweep(t);
    const b = this.buckets.get(key) ?? { level: 0, at: t };
    const level = Math.max(0, b.level - ((t - b.at) / 1000) * this.settings.rps);
    if (level + 1 > this.settings.burst) {
      this.buckets.set(key, { level, at: t });
      throw Errors.queryLimit();
    }
    this.buckets.set(key, { level: level + 1, at: t });
  }

  /** Seconds until `key` may send one more request (for Retry-After). */
  retryAfter(key: string): number {
    const b = this.buckets.get(key);
    if (!b) return 0;
    const level = Math.max(0, b.level - ((this.now() - b.at) / 1000) * this.settings.rps);
    return Math.max(1, Math.ceil((level + 1 - this.settings.burst) / this.settings.rps));
  }

  get size(): number {
    return this.buckets.size;
  }

  private sweep(t: number): void {
    this.lastSweep = t;
    for (const [key, b] of this.buckets) {
      if (b.level - ((t - b.at) / 1000) * this.settings.rps <= 0) this.buckets.delete(key);
    }
  }
}
