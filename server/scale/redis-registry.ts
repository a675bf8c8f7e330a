// The user → sessions index in Redis, shared by every node; nothing in it outlives its session.
import type { Clock } from '../sessions/clock.js';
import type { RegistryEntry, SessionRegistry } from '../sessions/registry.js';
import type { RedisKeys } from './keys.js';
import { bounded, lua, runScript } from './redis-client.js';
import type { RedisCommands } from './redis-commands.js';

// Layout: one hash per entry (by handle) and a session ID → handle key, both expiring at the
// session's absolute deadline, so an entry whose session ended silently still goes; and a set of
// handles per user, pruned of handles whose hash is gone each time it is listed. The set's own
// lifetime is renewed to a full absolute timeout on every add, so it outlives all its members.
//
// Each call touches one key per command (so it works unchanged on a Redis Cluster, where a
// script's keys must share a slot and the handle, session ID and user ID keys cannot: lookups by
// handle and by session ID have no user to tag with). Instead of one atomic step, the keys are
// written in an order that every reader tolerates: the entry's hash first and removed first, the
// indexes after it; an index entry pointing at a gone hash reads as "no entry" and is pruned.

/** KEYS: handle hash. ARGV: sessionId, userId, createdAt, userAgent, ip, ttl ms. Returns the previous sessionId or false. */
const ADD = lua(`
local old = redis.call('HGET', KEYS[1], 'sessionId')
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'sessionId', ARGV[1], 'userId', ARGV[2], 'createdAt', ARGV[3], 'userAgent', ARGV[4], 'ip', ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
return old
`);

/** KEYS: user set. ARGV: handle, ttl ms. */
const ADD_TO_USER = lua(`
redis.call('SADD', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`);

/** KEYS: handle hash. ARGV: new sessionId. Returns {old sessionId, ttl ms} or false. */
const RENAME = lua(`
local old = redis.call('HGET', KEYS[1], 'sessionId')
if not old then return false end
local ttl = redis.call('PTTL', KEYS[1])
if ttl <= 0 then return false end
redis.call('HSET', KEYS[1], 'sessionId', ARGV[1])
return {old, ttl}
`);

/** KEYS: handle hash. Returns {sessionId, userId} of the removed entry, or false. */
const REMOVE = lua(`
local fields = redis.call('HMGET', KEYS[1], 'sessionId', 'userId')
redis.call('DEL', KEYS[1])
if not fields[1] then return false end
return fields
`);

/** KEYS: session ID key. ARGV: handle, ttl ms (0: delete). */
const POINT = lua(`
if ARGV[2] == '0' then return redis.call('DEL', KEYS[1]) end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`);

const pair = (reply: unknown): [string, string] | null =>
  Array.isArray(reply) && typeof reply[0] === 'string' && (typeof reply[1] === 'string' || typeof reply[1] === 'number') ? [reply[0], String(reply[1])] : null;

function toEntry(handle: string, hash: Record<string, string>): RegistryEntry | null {
  const { sessionId, userId, createdAt, userAgent = '', ip = '' } = hash;
  if (!sessionId || !userId || createdAt === undefined) return null;
  return { handle, sessionId, userId, createdAt: Number(createdAt), userAgent, ip };
}

export interface RedisRegistryOptions {
  client: RedisCommands;
  keys: RedisKeys;
  clock: Clock;
  absoluteTimeoutMs: number;
  /** Longest wait for one registry operation before it counts as unavailable. */
  callTimeoutMs?: number;
}

/**
 * @example const registry = createRedisRegistry({ client, keys: redisKeys('tether:'), clock, absoluteTimeoutMs });
 *          await registry.add(entry); await registry.list(entry.userId);
 */
export function createRedisRegistry({ client, keys, clock, absoluteTimeoutMs, callTimeoutMs = 1000 }: RedisRegistryOptions): SessionRegistry {
  const byHandle = async (handle: string): Promise<RegistryEntry | null> => toEntry(handle, await client.hGetAll(keys.handle(handle)));
  const point = (sessionId: string, handle: string, ttlMs: number): Promise<unknown> => runScript(client, POINT, [keys.bySession(sessionId)], [handle, String(ttlMs)]);
  const registry: SessionRegistry = {
    async add(entry) {
      // The absolute deadline runs from sign-in, which is the entry's createdAt (a renewal keeps both).
      const ttlMs = Math.max(1, entry.createdAt + absoluteTimeoutMs - clock.now()) + 1000;
      const old = await runScript(client, ADD, [keys.handle(entry.handle)], [entry.sessionId, entry.userId, String(entry.createdAt), entry.userAgent, entry.ip, String(ttlMs)]);
      if (typeof old === 'string' && old !== entry.sessionId) await point(old, entry.handle, 0);
      await point(entry.sessionId, entry.handle, ttlMs);
      await runScript(client, ADD_TO_USER, [keys.user(entry.userId)], [entry.handle, String(absoluteTimeoutMs + 1000)]);
    },
    async list(userId) {
      const handles = await client.sMembers(keys.user(userId));
      if (handles.length === 0) return [];
      // One command per hash (they are in different slots of a cluster); node-redis pipelines
      // commands sent in the same tick, so this is still one round trip per node.
      const hashes = await Promise.all(handles.map((handle) => client.hGetAll(keys.handle(handle))));
      const entries: RegistryEntry[] = [];
      const gone: string[] = [];
      handles.forEach((handle, i) => {
        const entry = toEntry(handle, hashes[i] ?? {});
        if (entry) entries.push(entry);
        else gone.push(handle);
      });
      if (gone.length) await client.sRem(keys.user(userId), gone);
      return entries;
    },
    byHandle,
    async bySession(sessionId) {
      const handle = await client.get(keys.bySession(sessionId));
      if (!handle) return null;
      const entry = await byHandle(handle);
      // A pointer left behind by a rename or a removal that stopped half-way reads as nothing.
      return entry?.sessionId === sessionId ? entry : null;
    },
    async rename(handle, sessionId) {
      const renamed = pair(await runScript(client, RENAME, [keys.handle(handle)], [sessionId]));
      if (!renamed) return;
      const [old, ttl] = renamed;
      await point(sessionId, handle, Number(ttl));
      await point(old, handle, 0);
    },
    async remove(handle) {
      const removed = pair(await runScript(client, REMOVE, [keys.handle(handle)], []));
      if (!removed) return;
      const [sessionId, userId] = removed;
      await Promise.all([point(sessionId, handle, 0), client.sRem(keys.user(userId), [handle])]);
    },
    // The client belongs to the caller.
    async close() {},
  };
  // Each operation, however many commands it sends, gives up after callTimeoutMs (see `bounded`).
  return {
    add: (entry) => bounded(registry.add(entry), callTimeoutMs),
    list: (userId) => bounded(registry.list(userId), callTimeoutMs),
    byHandle: (handle) => bounded(registry.byHandle(handle), callTimeoutMs),
    bySession: (sessionId) => bounded(registry.bySession(sessionId), callTimeoutMs),
    rename: (handle, sessionId) => bounded(registry.rename(handle, sessionId), callTimeoutMs),
    remove: (handle) => bounded(registry.remove(handle), callTimeoutMs),
    close: () => registry.close(),
  };
}
