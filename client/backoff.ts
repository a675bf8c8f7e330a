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
