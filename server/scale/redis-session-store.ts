// Sessions in Redis (connect-redis) whose writes can never bring an ended session back, on any node.
import type session from 'express-session';
import { RedisStore } from 'connect-redis';
import { END_REASONS, type EndReason } from '../../shared/reasons.js';
import type { Clock } from '../clock.js';
import { storeTtlMs } from '../sessions/deadline-math.js';
import type { SessionData } from '../sessions/data.js';
import { StoreUnavailableError, patchFor, type SessionStore } from '../sessions/store.js';
import { createTombstones, type TombstoneReason, type Tombstones } from '../sessions/tombstones.js';
import type { RedisKeys } from './keys.js';
import { bounded, lua, runScript, type LuaScript } from './redis-client.js';
import type { RedisCommands } from './redis-commands.js';

// express-session saves the whole session at the end of a request, so a save on node B racing a
// sign-out on node A would re-create the ended session. Every write is therefore one script that
// checks the tombstone and writes in the same step; `destroy` writes the tombstone and deletes the
// entry in one step, so no write can fall between the two. The core's own updates (touch, a live
// view's write) only replace an entry that still exists, compare-and-set against what they read.

/** KEYS: entry, tombstone. ARGV: JSON, ttl seconds. Creates or overwrites unless tombstoned. */
const GUARDED_SET = lua(`
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1
`);

/**
 * KEYS: entry, tombstone. ARGV: JSON, ttl seconds, the entry as it was read. Writes only if the
 * entry still exists unchanged: 1 written, 0 ended or gone (it stays gone), -1 changed meanwhile.
 */
const COMPARE_AND_SET = lua(`
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
local current = redis.call('GET', KEYS[1])
if not current then return 0 end
if current ~= ARGV[3] then return -1 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1
`);

/** KEYS: entry, tombstone. ARGV: ttl seconds. EXPIRE only acts on an entry that exists. */
const GUARDED_TOUCH = lua(`
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
return redis.call('EXPIRE', KEYS[1], ARGV[1])
`);

/** KEYS: entry, tombstone. ARGV: reason, tombstone ttl ms. The first reason recorded stays. */
const DESTROY = lua(`
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2], 'NX')
return redis.call('DEL', KEYS[1])
`);

const isEndReason = (value: string): value is EndReason => (END_REASONS as readonly string[]).includes(value);
const isTombstoneReason = (value: string): value is TombstoneReason => isEndReason(value) || value === 'renewed' || value === 'signed_in';

type Callback = (err?: unknown) => void;
type GetCallback = (err: unknown, session?: SessionData | null) => void;

export interface RedisSessionStoreOptions {
  client: RedisCommands;
  keys: RedisKeys;
  clock: Clock;
  absoluteTimeoutMs: number;
  /** Lifetime of an entry that carries no deadlines (never ours; kept as memorystore does). */
  fallbackTtlMs?: number;
  /** Longest wait for one Redis call before it counts as unavailable. */
  callTimeoutMs?: number;
}

/**
 * connect-redis's store with its writes replaced by the guarded scripts; reads, `all`, `ids`,
 * `length` and `clear` are its own. Errors reach express-session as StoreUnavailableError, which
 * the routes answer with 503 `unavailable`.
 */
class GuardedRedisStore extends RedisStore {
  readonly #redis: RedisCommands;
  readonly #keys: RedisKeys;
  readonly #tombstones: Tombstones;
  readonly #ttlSeconds: (sess: Partial<SessionData>) => number;
  readonly #tombstoneTtlMs: number;
  readonly #callTimeoutMs: number;

  constructor(redis: RedisCommands, keys: RedisKeys, tombstones: Tombstones, ttlSeconds: (sess: Partial<SessionData>) => number, tombstoneTtlMs: number, callTimeoutMs: number) {
    super({ client: redis, prefix: keys.sessionPrefix, ttl: ttlSeconds });
    this.#redis = redis;
    this.#keys = keys;
    this.#tombstones = tombstones;
    this.#ttlSeconds = ttlSeconds;
    this.#tombstoneTtlMs = tombstoneTtlMs;
    this.#callTimeoutMs = callTimeoutMs;
  }

  /** Every call is bounded: a request, sign-out or deadline check never waits long on Redis. */
  #run(keys: string[], script: LuaScript, args: string[]): Promise<unknown> {
    return bounded(runScript(this.#redis, script, keys, args), this.#callTimeoutMs);
  }

  /**
   * The entry as stored, or null; throws StoreUnavailableError when Redis cannot answer. When the
   * entry is gone and another node tombstoned it, this node learns why (e.g. `renewed`, so a
   * request still carrying the old cookie is told so, as on the node that renewed it).
   */
  async readRaw(sid: string): Promise<string | null> {
    if (this.#tombstones.get(sid)) return null;
    let entry: string | null | undefined;
    let ended: string | null | undefined;
    try {
      [entry, ended] = await bounded(this.#redis.mGet([this.#keys.session(sid), this.#keys.tombstone(sid)]), this.#callTimeoutMs);
    } catch (error) {
      throw new StoreUnavailableError(error);
    }
    if (entry) return entry;
    if (ended && isTombstoneReason(ended) && !this.#tombstones.get(sid)) this.#tombstones.add(sid, ended);
    return null;
  }

  async read(sid: string): Promise<SessionData | null> {
    const raw = await this.readRaw(sid);
    return raw ? (JSON.parse(raw) as SessionData) : null;
  }

  /** True when written; false when the ID has ended. */
  async write(sid: string, sess: Partial<SessionData>): Promise<boolean> {
    if (this.#tombstones.get(sid)) return false;
    return (await this.#guarded(sid, GUARDED_SET, [JSON.stringify(sess), String(this.#ttlSeconds(sess))])) === 1;
  }

  /** `written`, `gone` (ended, expired: it stays gone) or `changed` since `readRaw` returned `before`. */
  async replace(sid: string, before: string, next: Partial<SessionData>): Promise<'written' | 'gone' | 'changed'> {
    if (this.#tombstones.get(sid)) return 'gone';
    const outcome = await this.#guarded(sid, COMPARE_AND_SET, [JSON.stringify(next), String(this.#ttlSeconds(next)), before]);
    return outcome === 1 ? 'written' : outcome === -1 ? 'changed' : 'gone';
  }

  async #guarded(sid: string, script: LuaScript, args: string[]): Promise<unknown> {
    try {
      return await this.#run([this.#keys.session(sid), this.#keys.tombstone(sid)], script, args);
    } catch (error) {
      throw new StoreUnavailableError(error);
    }
  }

  async end(sid: string, reason: TombstoneReason): Promise<void> {
    try {
      await this.#run([this.#keys.session(sid), this.#keys.tombstone(sid)], DESTROY, [reason, String(this.#tombstoneTtlMs)]);
    } catch (error) {
      throw new StoreUnavailableError(error);
    }
  }

  override async get(sid: string, cb?: GetCallback): Promise<unknown> {
    return this.read(sid).then(
      (sess) => cb?.(null, sess),
      (error: unknown) => cb?.(error),
    );
  }

  override async set(sid: string, sess: session.SessionData, cb?: Callback): Promise<unknown> {
    // Create or overwrite: a new session's first save creates its entry. The tombstone check alone
    // keeps an ended ID dead; an ID that merely expired is not saved again, since express-session
    // gives a request whose entry is gone a new ID.
    return this.write(sid, sess).then(
      () => cb?.(),
      (error: unknown) => cb?.(error),
    );
  }

  override async touch(sid: string, sess: session.SessionData, cb?: Callback): Promise<unknown> {
    if (this.#tombstones.get(sid)) return cb?.();
    return this.#run([this.#keys.session(sid), this.#keys.tombstone(sid)], GUARDED_TOUCH, [String(this.#ttlSeconds(sess))]).then(
      () => cb?.(),
      (error: unknown) => cb?.(new StoreUnavailableError(error)),
    );
  }

  override async destroy(sid: string, cb?: Callback): Promise<unknown> {
    // express-session's regenerate() and destroy() land here: the old ID is dead from now on.
    const known = this.#tombstones.get(sid);
    if (known && isEndReason(known)) {
      // Ended by the core (sign-out, expiry, revocation…), which deletes the entry itself and
      // retries while Redis is down. Repeat it without making the response wait, so a hanging
      // Redis cannot hold up the sign-out's 204.
      this.end(sid, known).catch(() => {});
      return cb?.();
    }
    // A sign-in's or a renewal's old ID: the new one must not start while the old still works on
    // another node, so this waits. The Redis tombstone carries the local reason (`renewed`).
    const reason = known ?? 'signed_in';
    if (!known) this.#tombstones.add(sid, reason);
    return this.end(sid, reason).then(
      () => cb?.(),
      (error: unknown) => cb?.(error),
    );
  }
}

const MAX_UPDATE_ATTEMPTS = 5;

/** `patch` over `current`; activity only moves forward, so a late touch cannot pull a deadline back. */
function merged(current: SessionData, patch: Partial<SessionData>): SessionData {
  const next = { ...current, ...patch };
  if (patch.idleExpiresAt !== undefined) next.idleExpiresAt = Math.max(current.idleExpiresAt, patch.idleExpiresAt);
  if (patch.lastSeenAt !== undefined) next.lastSeenAt = Math.max(current.lastSeenAt, patch.lastSeenAt);
  return next;
}

/**
 * The Redis SessionStore: local tombstones answer this node's questions without I/O; the Redis
 * tombstone (`${prefix}ended:${sid}`) is the truth every node's writes are checked against.
 * @example const store = createRedisSessionStore({ client, keys: redisKeys('tether:'), clock, absoluteTimeoutMs });
 */
export function createRedisSessionStore({ client, keys, clock, absoluteTimeoutMs, fallbackTtlMs = 60_000, callTimeoutMs = 1000 }: RedisSessionStoreOptions): SessionStore {
  // connect-redis TTLs are whole seconds: round up, so the entry never goes before its deadline.
  // The core compares deadlines itself, so the extra fraction of a second changes nothing.
  const ttlSeconds = (sess: Partial<SessionData>): number => {
    const ms = sess.idleExpiresAt && sess.absoluteExpiresAt ? storeTtlMs({ idleExpiresAt: sess.idleExpiresAt, absoluteExpiresAt: sess.absoluteExpiresAt }, clock.now()) : fallbackTtlMs;
    return Math.max(1, Math.ceil(ms / 1000));
  };
  const tombstones = createTombstones({ ttlMs: absoluteTimeoutMs, clock });
  // A minute past the absolute timeout: no session can be saved for longer than that after it began.
  const express = new GuardedRedisStore(client, keys, tombstones, ttlSeconds, absoluteTimeoutMs + 60_000, callTimeoutMs);
  return {
    express,
    tombstones,
    get: (sid) => express.read(sid),
    async update(sid, patch) {
      // Read, merge, write only if nobody wrote in between (a touch on another node, a live view's
      // write): otherwise merge again onto what they wrote, so neither write is lost.
      for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt += 1) {
        const before = await express.readRaw(sid);
        if (!before) return null;
        const current = JSON.parse(before) as SessionData;
        const changes = patchFor(patch, current);
        if (!changes) return null;
        const next = merged(current, changes);
        const outcome = await express.replace(sid, before, next);
        if (outcome === 'gone') return null;
        if (outcome === 'written') return tombstones.get(sid) ? null : next;
      }
      throw new StoreUnavailableError(new Error(`session entry changed ${MAX_UPDATE_ATTEMPTS} times during one update`));
    },
    async create(sid, data) {
      await express.write(sid, data);
    },
    async destroy(sid, reason) {
      tombstones.add(sid, reason);
      await express.end(sid, reason);
    },
    async ping() {
      try {
        await bounded(client.ping(), callTimeoutMs);
      } catch (error) {
        throw new StoreUnavailableError(error);
      }
    },
    // The client belongs to the caller (it also carries the registry and the adapter).
    async close() {},
  };
}
