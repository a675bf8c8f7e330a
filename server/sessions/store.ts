// The session store behind express-session, guarded so an ended session ID is never written again.
import session from 'express-session';
import type { SessionData } from './data.js';
import type { Tombstones, TombstoneReason } from './tombstones.js';

/** The store could not be reached; callers answer `unavailable`. */
export class StoreUnavailableError extends Error {
  readonly code = 'unavailable';
  constructor(cause: unknown) {
    super('session store unavailable', { cause });
    this.name = 'StoreUnavailableError';
  }
}

/**
 * Fields to merge, or a function computing them from the entry as read (null: write nothing).
 * The function form saves the caller a read of its own.
 */
export type SessionPatch = Partial<SessionData> | ((current: SessionData) => Partial<SessionData> | null);

/** Resolves a patch against the entry as read. */
export const patchFor = (patch: SessionPatch, current: SessionData): Partial<SessionData> | null => (typeof patch === 'function' ? patch(current) : patch);

/** What the session core needs of a store, beyond what express-session calls. */
export interface SessionStore {
  /** Handed to express-session; its set/touch never re-create an ended ID. */
  readonly express: session.Store;
  readonly tombstones: Tombstones;
  get(sessionId: string): Promise<SessionData | null>;
  /** Merges `patch` into a live entry; null when there is none (ended, expired, unknown). */
  update(sessionId: string, patch: SessionPatch): Promise<SessionData | null>;
  /** Writes a new entry (a fresh ID from sign-in or renewal). */
  create(sessionId: string, data: SessionData): Promise<void>;
  /** Tombstones the ID at once, then deletes the entry. */
  destroy(sessionId: string, reason: TombstoneReason): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

type Callback<T = void> = (err?: unknown, value?: T) => void;

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
 * Wraps a store whose writes are synchronous with its tombstone check (memorystore): a save that
 * arrives after `destroy` is dropped instead of re-creating the session.
 */
class GuardedStore extends session.Store {
  constructor(
    readonly inner: session.Store,
    readonly tombstones: Tombstones,
  ) {
    super();
  }
  override get(sid: string, cb: (err: unknown, session?: SessionData | null) => void): void {
    if (this.tombstones.get(sid)) return cb(null, null);
    this.inner.get(sid, cb);
  }
  override set(sid: string, sess: session.SessionData, cb?: (err?: unknown) => void): void {
    if (this.tombstones.get(sid)) return cb?.();
    this.inner.set(sid, sess, cb);
  }
  override touch(sid: string, sess: session.SessionData, cb?: () => void): void {
    if (this.tombstones.get(sid) || !this.inner.touch) return cb?.();
    this.inner.touch(sid, sess, cb);
  }
  override destroy(sid: string, cb?: (err?: unknown) => void): void {
    // express-session's regenerate() and destroy() land here: the old ID is dead from now on.
    if (!this.tombstones.get(sid)) this.tombstones.add(sid, 'signed_in');
    this.inner.destroy(sid, cb);
  }
}

/**
 * A SessionStore over any express-session store whose set is atomic with our tombstone check.
 * @example const store = guardStore(new MemoryStore({ checkPeriod: 60_000 }), tombstones);
 */
export function guardStore(inner: session.Store, tombstones: Tombstones, close: () => Promise<void> = async () => {}): SessionStore {
  const express = new GuardedStore(inner, tombstones);
  const get = async (sid: string): Promise<SessionData | null> =>
    (await promised<SessionData | null>((cb) => express.get(sid, cb))) ?? null;
  // Updates of one ID run one after another. memorystore answers a read a tick later, so two
  // interleaved read-merge-writes (a socket's touch and a live view's theme, from one click) would
  // each write back what they read, and one's fields would be lost.
  const queues = new Map<string, Promise<unknown>>();
  const inTurn = <T>(sid: string, run: () => Promise<T>): Promise<T> => {
    const result = (queues.get(sid) ?? Promise.resolve()).then(run);
    const tail = result.catch(() => undefined);
    queues.set(sid, tail);
    void tail.then(() => queues.get(sid) === tail && queues.delete(sid));
    return result;
  };
  return {
    express,
    tombstones,
    get,
    update: (sid, patch) =>
      inTurn(sid, async () => {
        const current = await get(sid);
        if (!current) return null;
        const changes = patchFor(patch, current);
        if (!changes) return null;
        const next = { ...current, ...changes };
        // The tombstone check and the write happen in one tick (GuardedStore.set).
        if (tombstones.get(sid)) return null;
        await promised((cb) => express.set(sid, next as session.SessionData, cb));
        return tombstones.get(sid) ? null : next;
      }),
    async create(sid, data) {
      await promised((cb) => express.set(sid, data as session.SessionData, cb));
    },
    async destroy(sid, reason) {
      tombstones.add(sid, reason);
      await promised((cb) => inner.destroy(sid, cb));
    },
    async ping() {
      await promised((cb) => inner.get('ping', cb));
    },
    close,
  };
}
