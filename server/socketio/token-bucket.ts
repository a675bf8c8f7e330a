// Token buckets: `ratePerSecond` sustained, `burst` at once. Time is injected.

export interface TokenBucket {
  /** Takes one token; false when the bucket is empty. */
  take(): boolean;
}

export interface BucketOptions {
  ratePerSecond: number;
  burst: number;
  now: () => number;
}

/** Tokens after `elapsedMs`: refilled at the rate, never above the burst. A clock that steps back refills nothing. */
function refill(tokens: number, elapsedMs: number, { ratePerSecond, burst }: Omit<BucketOptions, 'now'>): number {
  return Math.min(burst, tokens + (Math.max(0, elapsedMs) / 1000) * ratePerSecond);
}

/**
 * @example const bucket = createTokenBucket({ ratePerSecond: 20, burst: 40, now: Date.now });
 */
export function createTokenBucket(options: BucketOptions): TokenBucket {
  let tokens = options.burst;
  let last = options.now();
  return {
    take() {
      const t = options.now();
      tokens = refill(tokens, t - last, options);
      // Only move forward: a clock stepping back must not grant a second refill later.
      last = Math.max(last, t);
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}

export interface KeyedBuckets {
  /** Takes one token from `key`'s bucket; false when it is empty. */
  take(key: string): boolean;
  /** Buckets held now (bounded by `maxKeys`). */
  readonly size: number;
}

/**
 * One bucket per key (a client IP), in bounded memory: a bucket that has refilled completely
 * holds no information and is dropped; past `maxKeys` the least recently used go first. No timers.
 * @example const perIp = createKeyedBuckets({ ratePerSecond: 20, burst: 100, now: Date.now }); perIp.take(ip);
 */
export function createKeyedBuckets({ maxKeys = 10_000, ...options }: BucketOptions & { maxKeys?: number }): KeyedBuckets {
  // Map order is insertion order; every take re-inserts its key, so the first entries are the least recently used.
  const buckets = new Map<string, { tokens: number; last: number }>();
  const prune = (now: number): void => {
    for (const [key, bucket] of buckets) {
      if (refill(bucket.tokens, now - bucket.last, options) >= options.burst) buckets.delete(key);
    }
    // Evict a tenth at once so that a stream of new keys does not rescan the map on every take.
    const keep = Math.floor(maxKeys * 0.9);
    for (const key of buckets.keys()) {
      if (buckets.size <= keep) break;
      buckets.delete(key);
    }
  };
  return {
    take(key) {
      const now = options.now();
      const bucket = buckets.get(key);
      if (!bucket && buckets.size >= maxKeys) prune(now);
      const tokens = bucket ? refill(bucket.tokens, now - bucket.last, options) : options.burst;
      const last = bucket ? Math.max(bucket.last, now) : now;
      buckets.delete(key);
      const allowed = tokens >= 1;
      buckets.set(key, { tokens: allowed ? tokens - 1 : tokens, last });
      return allowed;
    },
    get size() {
      return buckets.size;
    },
  };
}
