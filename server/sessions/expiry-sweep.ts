// Sweeps a shared store's deadline index, so sessions with no open socket anywhere end through the lifecycle too.
import type { ExpiredDeadline } from '../../shared/reasons.js';
import type { Clock, TimerHandle } from './clock.js';
import type { Logger } from './logger.js';
import { errorSummary } from './retry.js';
import type { DueSession } from './store.js';

export interface ExpirySweepOptions {
  clock: Clock;
  log: Logger;
  everyMs: number;
  /** Sessions the store holds as due at `now`. */
  due(now: number, limit: number): Promise<DueSession[]>;
  /** Ends one through the lifecycle (which claims it: of every node sweeping, one wins). */
  expire(sessionId: string, deadline: ExpiredDeadline): Promise<unknown>;
  batch?: number;
}

/**
 * One sweep every `everyMs`, the next scheduled only once this one is done (a slow Redis never
 * piles sweeps up; a clock that jumps runs one, not one per missed period), each of at most
 * `batch` sessions (a backlog drains over a few periods).
 * @example const sweep = createExpirySweep({ clock, log, everyMs: 5000, due: store.dueForExpiry, expire });
 */
export function createExpirySweep({ clock, log, everyMs, due, expire, batch = 500 }: ExpirySweepOptions) {
  if (!(everyMs > 0 && Number.isFinite(everyMs))) throw new RangeError(`sweepEveryMs must be a positive number of milliseconds (or false: no sweep), got ${everyMs}`);
  let timer: TimerHandle | undefined;
  let closed = false;
  const sweep = async (): Promise<number> => {
    const items = await due(clock.now(), batch);
    await Promise.all(items.map(({ sessionId, deadline }) => expire(sessionId, deadline)));
    return items.length;
  };
  const schedule = (): void => {
    if (closed) return;
    timer = clock.setTimeout(() => {
      timer = undefined;
      void sweep()
        .catch((error: unknown) => log.warn({ err: errorSummary(error) }, 'expiry sweep failed; trying again next time'))
        .finally(schedule);
    }, everyMs);
    (timer as { unref?: () => void }).unref?.();
  };
  schedule();
  return {
    /** One sweep now; resolves how many due sessions it handled. */
    sweep,
    close(): void {
      closed = true;
      if (timer) clock.clearTimeout(timer);
      timer = undefined;
    },
  };
}
