// The default store: memorystore, with the idle deadline as each entry's lifetime and real purging.
import session from 'express-session';
import createMemoryStore from 'memorystore';
import type { Clock } from '../clock.js';
import { storeTtlMs } from './deadline-math.js';
import { guardStore, type SessionStore } from './store.js';
import type { SessionData } from './data.js';
import { createTombstones } from './tombstones.js';

export interface MemoryStoreOptions {
  clock: Clock;
  absoluteTimeoutMs: number;
  /** Most sessions kept; past it the least recently used go first. */
  maxSessions?: number;
  checkPeriodMs?: number;
}

/**
 * @example const store = createMemorySessionStore({ clock: systemClock, absoluteTimeoutMs });
 */
export function createMemorySessionStore({ clock, absoluteTimeoutMs, maxSessions = 100_000, checkPeriodMs = 60_000 }: MemoryStoreOptions): SessionStore {
  const MemoryStore = createMemoryStore(session);
  const inner = new MemoryStore({
    checkPeriod: checkPeriodMs,
    max: maxSessions,
    // Without a ttl function memorystore would use the cookie's max-age, which is the absolute
    // deadline: the idle deadline would never be enforced by the store.
    ttl: (_options: unknown, sess: SessionData) =>
      sess.idleExpiresAt && sess.absoluteExpiresAt ? storeTtlMs(sess, clock.now()) : 60_000,
  });
  const tombstones = createTombstones({ ttlMs: absoluteTimeoutMs, clock });
  return guardStore(inner, tombstones, async () => inner.stopInterval());
}
