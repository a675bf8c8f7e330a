// Pushed expiry: one timer per session with open sockets on this node, at its next deadline.
import type { Deadlines } from '../../shared/events.js';
import type { Clock, TimerHandle } from '../clock.js';
import type { Logger } from '../log.js';
import { endsAt, isPast } from './deadline-math.js';
import { defaultBackoff, errorSummary, type Backoff } from './retry.js';

export interface DeadlineTimersOptions {
  clock: Clock;
  log: Logger;
  /** Reads the session's current deadlines from the store; null when the entry is gone. */
  read(sessionId: string): Promise<Deadlines | null>;
  /** Ends the session with `expired`. */
  expire(sessionId: string): void;
  backoff?: Backoff;
}

export interface DeadlineTimers {
  /** Starts or reschedules the session's timer for these deadlines. */
  watch(sessionId: string, deadlines: Deadlines): void;
  unwatch(sessionId: string): void;
  isWatching(sessionId: string): boolean;
  readonly size: number;
  close(): void;
}

interface Watch {
  deadlines: Deadlines;
  timer: TimerHandle;
  /** Bumped on every (re)schedule so a store read that returns late cannot act on old state. */
  epoch: number;
  failures: number;
}

// setTimeout's delay is a signed 32-bit number of milliseconds.
const MAX_DELAY = 2 ** 31 - 1;

/**
 * No polling: the store is read once when a timer fires, since another node may have seen
 * activity, and then the session either ends with `expired` or the timer moves.
 * @example const timers = createDeadlineTimers({ clock, log, read, expire }); timers.watch(sid, d);
 */
export function createDeadlineTimers({ clock, log, read, expire, backoff = defaultBackoff }: DeadlineTimersOptions): DeadlineTimers {
  const watches = new Map<string, Watch>();
  let epochs = 0;

  const schedule = (sessionId: string, deadlines: Deadlines, delayMs: number, failures = 0): void => {
    const previous = watches.get(sessionId);
    if (previous) clock.clearTimeout(previous.timer);
    const epoch = ++epochs;
    const timer = clock.setTimeout(() => void fire(sessionId, epoch), Math.min(MAX_DELAY, Math.max(0, delayMs)));
    watches.set(sessionId, { deadlines, timer, epoch, failures });
  };

  const fire = async (sessionId: string, epoch: number): Promise<void> => {
    const watch = watches.get(sessionId);
    if (!watch || watch.epoch !== epoch) return;
    let stored: Deadlines | null;
    try {
      stored = await read(sessionId);
    } catch (error) {
      const current = watches.get(sessionId);
      if (!current || current.epoch !== epoch) return;
      // The store is down. The absolute deadline never moves, so it ends the session regardless;
      // an idle deadline might have moved on another node, so ask again later.
      if (clock.now() >= watch.deadlines.absoluteExpiresAt) return expire(sessionId);
      log.warn({ err: errorSummary(error) }, 'deadline check could not read the store; retrying');
      const failures = current.failures + 1;
      const untilAbsolute = watch.deadlines.absoluteExpiresAt - clock.now();
      return schedule(sessionId, watch.deadlines, Math.min(backoff(failures), untilAbsolute), failures);
    }
    const current = watches.get(sessionId);
    if (!current || current.epoch !== epoch) return;
    const now = clock.now();
    if (!stored) {
      // Gone from the store. If our deadline has passed, the store expired it; otherwise another
      // node is ending it and its message will close our sockets: never send two `session:ended`.
      if (isPast(current.deadlines, now)) return expire(sessionId);
      return schedule(sessionId, current.deadlines, endsAt(current.deadlines) - now);
    }
    if (isPast(stored, now)) return expire(sessionId);
    schedule(sessionId, stored, endsAt(stored) - now);
  };

  return {
    watch(sessionId, deadlines) {
      schedule(sessionId, deadlines, endsAt(deadlines) - clock.now());
    },
    unwatch(sessionId) {
      const watch = watches.get(sessionId);
      if (watch) clock.clearTimeout(watch.timer);
      watches.delete(sessionId);
    },
    isWatching: (sessionId) => watches.has(sessionId),
    get size() {
      return watches.size;
    },
    close() {
      for (const watch of watches.values()) clock.clearTimeout(watch.timer);
      watches.clear();
    },
  };
}
