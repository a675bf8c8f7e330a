// The default store: memorystore, with the idle deadline as each entry's lifetime and real purging.
import session from 'express-session';
import createMemoryStore from 'memorystore';
import { systemClock, type Clock } from './clock.js';
import { storeTtlMs } from './deadline-math.js';
import { createKeyedQueue } from './keyed-queue.js';
import { mergeSession, patchFor, StoreUnavailableError, type SessionStore, type StoredSession } from './store.js';
import { createTombstones } from './tombstones.js';

export interface MemoryStoreOptions {
  clock?: Clock;
  /** How long tombstones are kept: no session outlives the absolute timeout (default 8 h). */
  absoluteTimeoutMs?: number;
  /** How often expired entries are purged (and their sockets told). */
  checkPeriodMs?: number;
}

type Callback<T> = (err: unknown, value?: T) => void;

function promised<T>(run: (cb: Callback<T>) => void): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    try {
      run((err, value) => (err ? reject(new StoreUnavailableError(err)) : resolve(value)));
    } catch (error) {
      reject(new StoreUnavailableError(error));
    }
  });
}

/**
 * Sessions in this process's memory. No size cap: only signed-in sessions are stored (anonymous
 * visitors have none), so its size follows sign-ins, which are rate limited; memorystore's `max`
 * would evict the least recently used entry, signed in or not, silently.
 * @example const store = createMemorySessionStore(); const lifecycle = createSessionLifecycle({ store });
 */
export function createMemorySessionStore({ clock = systemClock, absoluteTimeoutMs = 8 * 3600_000, checkPeriodMs = 60_000 }: MemoryStoreOptions = {}): SessionStore {
  const vanishedListeners: Array<(sessionId: string) => void> = [];
  const tombstones = createTombstones({ ttlMs: absoluteTimeoutMs, clock });
  const MemoryStore = createMemoryStore(session);
  const inner = new MemoryStore({
    checkPeriod: checkPeriodMs,
    // Without a ttl function memorystore would use the cookie's max-age: the idle deadline would
    // never be enforced by the store.
    ttl: (_options: unknown, sess: StoredSession) => storeTtlMs(sess, clock.now()),
    noDisposeOnSet: true,
    // An entry dropped by the store itself (purged past its deadline): its sockets must hear of it.
    // Our own deletes are tombstoned first, so they are not reported. Told after the store's call
    // returns, never from inside it.
    dispose: (sessionId: string) => {
      if (tombstones.get(sessionId)) return;
      queueMicrotask(() => vanishedListeners.forEach((listener) => listener(sessionId)));
    },
  });
  const epochs = new Map<string, number>();
  const read = async (sid: string): Promise<StoredSession | null> => {
    if (tombstones.get(sid)) return null;
    const raw = await promised<StoredSession | null>((cb) => inner.get(sid, cb as Callback<session.SessionData | null>));
    return raw ?? null;
  };
  const write = (sid: string, data: StoredSession): Promise<unknown> => promised((cb) => inner.set(sid, data as unknown as session.SessionData, cb));
  // Updates of one ID run one after another: memorystore answers a read a tick later, so two
  // interleaved read-merge-writes (a touch and an app write, from one click) would each write back
  // what they read, and one's fields would be lost.
  const inTurn = createKeyedQueue();
  return {
    tombstones,
    get: read,
    update: (sid, patch) =>
      inTurn(sid, async () => {
        const current = await read(sid);
        if (!current) return null;
        const changes = patchFor(patch, current);
        if (!changes) return null;
        const next = mergeSession(current, changes);
        // The tombstone check and the write happen in one tick.
        if (tombstones.get(sid)) return null;
        await write(sid, next);
        return tombstones.get(sid) ? null : next;
      }),
    async create(sid, data) {
      if (tombstones.get(sid)) throw new Error('a session ID is never reused');
      await write(sid, data);
    },
    async destroy(sid, reason, successor) {
      // One process: the lifecycle's own tombstone (written before it calls this) is the claim.
      // What was there under another reason is reported, as a shared store would.
      const before = tombstones.get(sid);
      const beforeSuccessor = tombstones.successor(sid);
      tombstones.add(sid, reason, successor);
      await promised((cb) => inner.destroy(sid, cb));
      if (!before || before === reason) return undefined;
      return beforeSuccessor ? { reason: before, successor: beforeSuccessor } : { reason: before };
    },
    epoch: async (userId) => epochs.get(userId) ?? 0,
    async bumpEpoch(userId) {
      const next = (epochs.get(userId) ?? 0) + 1;
      epochs.set(userId, next);
      return next;
    },
    onVanished: (listener) => void vanishedListeners.push(listener),
    count: async () => (await promised<number>((cb) => inner.length(cb as never))) ?? 0,
    async ping() {
      await read('ping');
    },
    async close() {
      inner.stopInterval();
    },
  };
}
