// Activity: the idle deadline moves in the store (one read, at most one write), never the absolute one.
import type { Deadlines } from '../../shared/events.js';
import type { Clock } from './clock.js';
import type { AppData, SessionRecord } from './data.js';
import { afterActivity, isPast, type Timeouts } from './deadline-math.js';
import type { DeadlineTimers } from './deadlines.js';
import type { LifecycleEvents } from './lifecycle-events.js';
import type { SessionStore } from './store.js';

export interface TouchOptions {
  /** Refuses the entry as read (a handshake judges it there, so admitting costs no read of its own). */
  accept?: (sess: SessionRecord) => boolean;
  /** The socket whose `session:touch` this is (it learns the deadlines from its ack). */
  fromSocketId?: string;
  /** When the activity happened (default now). */
  at?: number;
}

export interface TouchDeps {
  store: SessionStore;
  timers: DeadlineTimers;
  emit: LifecycleEvents['emit'];
  clock: Clock;
  timeouts: Timeouts;
  touchAfterMs: number;
}

/**
 * Returns `touch(sessionId, opts)`: the deadlines in force afterwards, or null when the session
 * is refused, ended or gone.
 * @example const touch = createTouch({ store, timers, emit, clock, timeouts, touchAfterMs: 30_000 });
 */
export function createTouch<App extends object = AppData>({ store, timers, emit, clock, timeouts, touchAfterMs }: TouchDeps) {
  /**
   * Activity: moves the idle deadline in the store (one read, one write), never the absolute one.
   * `accept` can refuse the entry as read (a handshake judges it there). Null when refused or gone.
   */
  return async (sessionId: string, opts: Omit<TouchOptions, 'accept'> & { accept?: (sess: SessionRecord<App>) => boolean } = {}): Promise<Deadlines | null> => {
    let deadlines: Deadlines | undefined;
    let unchanged = false;
    // The activity's own time: a write that lands a moment later must not date it later (or past a deadline).
    const at = opts.at ?? clock.now();
    const saved = await store.update(sessionId, (sess) => {
      deadlines = undefined;
      unchanged = false;
      const now = at;
      if (opts.accept && !opts.accept(sess as SessionRecord<App>)) return null;
      if (isPast(sess, now)) return null;
      const moved = afterActivity(sess, now, timeouts);
      if (moved.idleExpiresAt - sess.idleExpiresAt < touchAfterMs) {
        // Coalesced: the deadline in force stays the stored one; nothing to write or tell.
        unchanged = true;
        deadlines = { idleExpiresAt: sess.idleExpiresAt, absoluteExpiresAt: sess.absoluteExpiresAt };
        return null;
      }
      deadlines = moved;
      return { ...deadlines, lastSeenAt: now };
    });
    if (unchanged && deadlines) return deadlines;
    if (!saved || !deadlines) return null;
    if (timers.isWatching(sessionId)) timers.watch(sessionId, deadlines);
    emit('active', { sessionId, deadlines, ...(opts.fromSocketId ? { fromSocketId: opts.fromSocketId } : {}) });
    return deadlines;
  };
}
