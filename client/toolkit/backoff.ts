// Reconnect delays as an injected `(tries) => ms`, stepped like Phoenix's `reconnectAfterMs`.

/** How long to wait before retry number `tries` (1-based). */
export type Backoff = (tries: number) => number;

const STEPS: readonly number[] = [10, 50, 100, 150, 200, 250, 500, 1000, 2000];

/**
 * Phoenix's default steps, then 5 s for every later try.
 * @example phoenixBackoff(1) // 10
 * @example phoenixBackoff(12) // 5000
 */
export const phoenixBackoff: Backoff = (tries) => STEPS[Math.max(1, Math.floor(tries)) - 1] ?? 5000;

/**
 * `backoff` with up to ±`spread` of each delay added at random ("jitter"), so tabs dropped together
 * (a server restart, a Redis outage) do not all retry in the same instant.
 * @example jitteredBackoff(phoenixBackoff, { random: () => 1 })(3) // 120 (100 + 20 %)
 */
export function jitteredBackoff(backoff: Backoff, { spread = 0.2, random = Math.random }: { spread?: number; random?: () => number } = {}): Backoff {
  return (tries) => {
    const ms = backoff(tries);
    return Math.max(0, Math.round(ms + ms * spread * (2 * random() - 1)));
  };
}
