// Pushed expiry: the sessions with open sockets on this node, each due at its next deadline, on one timer.
import type { Deadlines } from '../../shared/events.js';
import type { Clock, TimerHandle } from './clock.js';
import type { Logger } from './logger.js';
import { endsAt, isPast } from './deadline-math.js';
import { createMinHeap } from './min-heap.js';
import { defaultBackoff, errorSummary, type Backoff } from './retry.js';

export interface DeadlineTimersOptions {
  clock: Clock;
  log: Logger;
  /** Reads the session's current deadlines from the store; null when the entry is gone. */
  read(sessionId: string): Promise<Deadlines | null>;
  /** Ends the session with `expired`; `deadlines` are the latest known (which one passed). */
  expire(sessionId: string, deadlines: Deadlines): void;
  backoff?: Backoff;
}

export interface DeadlineTimers {
  /** Starts watching a session, or tells it of later deadlines (activity). */
  watch(sessionId: string, deadlines: Deadlines): void;
  unwatch(sessionId: string): void;
  isWatching(sessionId: string): boolean;
  readonly size: number;
  close(): void;
}

interface Watch {
  /** The latest deadlines this node knows of. */
  deadlines: Deadlines;
  /** When this session's check is due (its entry in the heap). */
  dueAt: number;
  /** Bumped on every (re)schedule: a heap entry or a store read of an older epoch is ignored. */
  epoch: number;
  failures: number;
}

interface Due {
  at: number;
  sessionId: string;
  epoch: number;
}

// setTimeout's delay is a signed 32-bit number of milliseconds.
const MAX_DELAY = 2 ** 31 - 1;

const later = (a: Deadlines, b: Deadlines): Deadlines => ({
  idleExpiresAt: Math.max(a.idleExpiresAt, b.idleExpiresAt),
  absoluteExpiresAt: Math.max(a.absoluteExpiresAt, b.absoluteExpiresAt),
});

/**
 * No polling, and one Node timer however many sessions: a min-heap of due times with the timer
 * armed for the earliest. Activity only moves a session's known deadline (no heap work per touch);
 * when its check falls due, a deadline that moved here is simply rescheduled, otherwise the store
 * is read once (another node may have seen activity) and the session either ends with `expired`
 * or moves on.
 * @example const timers = createDeadlineTimers({ clock, log, read, expire }); timers.watch(sid, d);
 */
export function createDeadlineTimers({ clock, log, read, expire, backoff = defaultBackoff }: DeadlineTimersOptions): DeadlineTimers {
  const watches = new Map<string, Watch>();
  const heap = createMinHeap<Due>();
  let armed: { at: number; handle: TimerHandle } | undefined;
  let epochs = 0;

  const live = (due: Due): boolean => watches.get(due.sessionId)?.epoch === due.epoch;

  const arm = (): void => {
    // Entries of unwatched or rescheduled sessions are dropped lazily; compacted when they pile up.
    if (heap.size > 2 * watches.size + 64) heap.rebuild(live);
    while (heap.peek() && !live(heap.peek()!)) heap.pop();
    const top = heap.peek();
    if (armed && (!top || armed.at !== top.at)) {
      clock.clearTimeout(armed.handle);
      armed = undefined;
    }
    if (!top || armed) return;
    armed = { at: top.at, handle: clock.setTimeout(onTimer, Math.min(MAX_DELAY, Math.max(0, top.at - clock.now()))) };
  };

  function onTimer(): void {
    armed = undefined;
    const now = clock.now();
    for (let due = heap.peek(); due && due.at <= now; due = heap.peek()) {
      heap.pop();
      if (live(due)) void check(due.sessionId, due.epoch);
    }
    arm();
  }

  const schedule = (sessionId: string, deadlines: Deadlines, at: number, failures = 0): void => {
    const epoch = ++epochs;
    watches.set(sessionId, { deadlines, dueAt: at, epoch, failures });
    heap.push({ at, sessionId, epoch });
    arm();
  };

  const check = async (sessionId: string, epoch: number): Promise<void> => {
    const watch = watches.get(sessionId)!;
    const now = clock.now();
    // Activity seen on this node moved the deadline: no need to ask the store yet.
    if (!isPast(watch.deadlines, now)) return schedule(sessionId, watch.deadlines, endsAt(watch.deadlines));
    let stored: Deadlines | null;
    try {
      stored = await read(sessionId);
    } catch (error) {
      const current = watches.get(sessionId);
      if (!current || current.epoch !== epoch) return;
      // The store is down. The absolute deadline never moves, so it ends the session regardless;
      // an idle deadline might have moved on another node, so ask again later.
      if (clock.now() >= current.deadlines.absoluteExpiresAt) return expire(sessionId, current.deadlines);
      log.warn({ err: errorSummary(error) }, 'deadline check could not read the store; retrying');
      const failures = current.failures + 1;
      const untilAbsolute = current.deadlines.absoluteExpiresAt - clock.now();
      return schedule(sessionId, current.deadlines, clock.now() + Math.min(backoff(failures), untilAbsolute), failures);
    }
    const current = watches.get(sessionId);
    if (!current || current.epoch !== epoch) return;
    const at = clock.now();
    // Gone from the store: if our deadline has passed too, the store expired it; otherwise another
    // node is ending it and its message will close our sockets: never send two `session:ended`.
    const known = stored ? later(stored, current.deadlines) : current.deadlines;
    if (isPast(known, at)) return expire(sessionId, known);
    schedule(sessionId, known, endsAt(known));
  };

  return {
    watch(sessionId, deadlines) {
      const watch = watches.get(sessionId);
      if (!watch) return schedule(sessionId, deadlines, endsAt(deadlines));
      watch.deadlines = later(watch.deadlines, deadlines);
      // Deadlines only move forward, so the due check stays where it is and reschedules itself.
      if (endsAt(watch.deadlines) < watch.dueAt) schedule(sessionId, watch.deadlines, endsAt(watch.deadlines), watch.failures);
    },
    unwatch(sessionId) {
      if (watches.delete(sessionId)) arm();
    },
    isWatching: (sessionId) => watches.has(sessionId),
    get size() {
      return watches.size;
    },
    close() {
      if (armed) clock.clearTimeout(armed.handle);
      armed = undefined;
      watches.clear();
      heap.clear();
    },
  };
}
