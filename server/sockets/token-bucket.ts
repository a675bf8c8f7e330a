// A token bucket: `ratePerSecond` sustained, `burst` at once. Time is injected.

export interface TokenBucket {
  /** Takes one token; false when the bucket is empty. */
  take(): boolean;
}

/**
 * @example const bucket = createTokenBucket({ ratePerSecond: 20, burst: 40, now: Date.now });
 */
export function createTokenBucket({ ratePerSecond, burst, now }: { ratePerSecond: number; burst: number; now: () => number }): TokenBucket {
  let tokens = burst;
  let last = now();
  return {
    take() {
      const t = now();
      tokens = Math.min(burst, tokens + ((t - last) / 1000) * ratePerSecond);
      last = t;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}
