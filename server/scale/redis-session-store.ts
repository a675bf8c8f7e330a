// Sessions in Redis (connect-redis) whose writes can never bring an ended session back, on any node.
import { RedisStore } from 'connect-redis';
import type { Clock } from '../sessions/clock.js';
import { endsAt, storeTtlMs } from '../sessions/deadline-math.js';
import { mergeSession, patchFor, StoreUnavailableError, type SessionStore, type StoredSession } from '../sessions/store.js';
import { createTombstones, type TombstoneReason } from '../sessions/tombstones.js';
import type { RedisKeys } from './keys.js';
import { createCallGate } from './call-gate.js';
import { bounded, lua, runScript, type LuaScript, type RedisClient } from './redis-client.js';
import type { RedisCommands } from './redis-commands.js';
import type { RedisCluster } from './redis-cluster.js';
import { createRedisExpiry } from './redis-expiry.js';
import { parseTombstone, tombstoneValue } from './tombstone-value.js';

// The lifecycle is the only writer. Every write is one script that checks the tombstone and
// writes in the same step; `destroy` claims the tombstone (SET only if absent) and deletes the
// entry in one step, so no write can fall between the two, and of an end and a renewal racing on
// two nodes exactly one claims the ID. Updates replace an entry only if it is unchanged since read.

/** KEYS: entry, tombstone. ARGV: JSON, ttl seconds. Creates unless tombstoned. */
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

/** KEYS: entry, tombstone. ARGV: tombstone value, its ttl ms. Returns the earlier tombstone, or false when this call claimed it. */
const DESTROY = lua(`
local earlier = redis.call('GET', KEYS[2])
if not earlier then redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2]) end
redis.call('DEL', KEYS[1])
return earlier
`);

export interface RedisSessionStoreOptions {
  /** Commands over one Redis or a cluster (redis-commands.ts). */
  client: RedisCommands;
  /** The connection itself, for connect-redis's own scans (`all`, `ids`, `length`). */
  native: RedisClient | RedisCluster;
  keys: RedisKeys;
  clock: Clock;
  absoluteTimeoutMs: number;
  /** Longest wait for one Redis call, from when it is sent, before it counts as unavailable. */
  callTimeoutMs?: number;
  /** Calls of this store in flight at most; the rest wait their turn (see call-gate.ts). */
  maxCallsInFlight?: number;
  /** Calls waiting at most; one more is refused at once as unavailable. */
  maxCallsWaiting?: number;
  /**
   * Longest wait for a turn (default 5 × callTimeoutMs). Longer than a call's own bound: in a
   * reconnect storm a handshake waiting its turn is cheaper than one refused and tried again
   * (measured in bench/README.md); with Redis hanging, a caller waits at most this plus one bound.
   */
  maxCallWaitMs?: number;
}

const MAX_UPDATE_ATTEMPTS = 5;

/**
 * The Redis SessionStore: local tombstones answer this node's questions without I/O; the Redis
 * tombstone (`${prefix}ended:${sid}`) is the truth every node's writes are checked against.
 * connect-redis names and serializes the entries (and gives operators `all`, `ids`, `length`).
 * @example const store = createRedisSessionStore({ client, keys: redisKeys('tether:'), clock, absoluteTimeoutMs });
 */
export function createRedisSessionStore({ client, native, keys, clock, absoluteTimeoutMs, callTimeoutMs = 1000, maxCallsInFlight = 64, maxCallsWaiting = 20_000, maxCallWaitMs = 5 * callTimeoutMs }: RedisSessionStoreOptions): SessionStore & { readonly connectRedis: RedisStore } {
  // connect-redis TTLs are whole seconds: round up, so the entry never goes before its deadline.
  // The lifecycle compares deadlines itself, so the extra fraction of a second changes nothing.
  const ttlSeconds = (sess: StoredSession): number => Math.max(1, Math.ceil(storeTtlMs(sess, clock.now()) / 1000));
  const tombstones = createTombstones({ ttlMs: absoluteTimeoutMs, clock });
  // A minute past the absolute timeout: no session can be saved for longer than that after it began.
  const tombstoneTtlMs = absoluteTimeoutMs + 60_000;
  const connectRedis = new RedisStore({ client: native, prefix: keys.sessionPrefix });
  const gate = createCallGate({ max: maxCallsInFlight, maxWaiting: maxCallsWaiting, maxWaitMs: maxCallWaitMs });
  /** Every call goes through the gate and is bounded once sent: nothing waits long on Redis. */
  const call = async <T>(command: () => Promise<T>): Promise<T> => {
    try {
      return await gate.run(() => bounded(command(), callTimeoutMs));
    } catch (error) {
      throw new StoreUnavailableError(error);
    }
  };
  const run = (sid: string, script: LuaScript, args: string[]): Promise<unknown> =>
    call(() => runScript(client, script, [keys.session(sid), keys.tombstone(sid)], args));
  const expiry = createRedisExpiry({ client, keys, tombstoneTtlMs, call, run });
  const endedElsewhere: Array<(sessionId: string, reason: TombstoneReason, successor?: string) => void> = [];
  /**
   * The entry as stored, or null. When another node tombstoned it, this node learns why, and its
   * listeners hear it once: that node's message may arrive after this read, and would then find
   * the ID already known here and close nothing.
   */
  const readRaw = async (sid: string): Promise<string | null> => {
    if (tombstones.get(sid)) return null;
    const [entry, ended] = await call(() => client.mGet([keys.session(sid), keys.tombstone(sid)]));
    if (entry && !ended) return entry;
    const known = parseTombstone(ended);
    if (known && !tombstones.get(sid)) {
      tombstones.add(sid, known.reason, known.successor);
      for (const listener of endedElsewhere) listener(sid, known.reason, known.successor);
    }
    return null;
  };
  return {
    connectRedis,
    tombstones,
    async get(sid) {
      const raw = await readRaw(sid);
      return raw ? (JSON.parse(raw) as StoredSession) : null;
    },
    async update(sid, patch) {
      // Read, merge, write only if nobody wrote in between (a touch on another node, an app write):
      // otherwise merge again onto what they wrote, so neither write is lost.
      for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt += 1) {
        const before = await readRaw(sid);
        if (!before) return null;
        const current = JSON.parse(before) as StoredSession;
        const changes = patchFor(patch, current);
        if (!changes) return null;
        const next = mergeSession(current, changes);
        const outcome = await run(sid, COMPARE_AND_SET, [JSON.stringify(next), String(ttlSeconds(next)), before]);
        if (outcome === 0) return null;
        if (outcome !== 1) continue;
        // Best effort: an index behind its entry is put right by the claim that finds it live.
        if (endsAt(next) !== endsAt(current)) await expiry.index(sid, next).catch(() => undefined);
        return tombstones.get(sid) ? null : next;
      }
      throw new StoreUnavailableError(new Error(`session entry changed ${MAX_UPDATE_ATTEMPTS} times during one update`));
    },
    async create(sid, data) {
      if ((await run(sid, GUARDED_SET, [JSON.stringify(data), String(ttlSeconds(data))])) === 1) await expiry.index(sid, data);
    },
    async destroy(sid, reason, successor) {
      const earlier = parseTombstone(await run(sid, DESTROY, [tombstoneValue(reason, successor), String(tombstoneTtlMs)]));
      await expiry.unindex(sid);
      const local = tombstones.get(sid);
      // What this node records is what Redis decided (the lifecycle may have written its own end first).
      if (!local) tombstones.add(sid, earlier?.reason ?? reason, earlier ? earlier.successor : successor);
      if (!earlier || (local === earlier.reason && earlier.reason !== 'renewed')) return undefined;
      return earlier;
    },
    claimExpiry: expiry.claimExpiry,
    dueForExpiry: expiry.dueForExpiry,
    onEndedElsewhere: (listener) => void endedElsewhere.push(listener),
    epoch: async (userId) => Number((await call(() => client.get(keys.epoch(userId)))) ?? 0),
    bumpEpoch: async (userId) => Number(await call(() => client.incr(keys.epoch(userId)))),
    async ping() {
      await call(() => client.ping());
    },
    // The client belongs to the caller (it also carries the registry and the adapter).
    async close() {},
  };
}
