// The user → sessions index in Redis, shared by every node; nothing in it outlives its session.
import type { Clock } from '../sessions/clock.js';
import type { RegistryEntry, SessionRegistry } from '../sessions/registry.js';
import type { RedisKeys } from './keys.js';
import { bounded, lua, runScript, type RedisClient } from './redis-client.js';

// Layout: one hash per entry (by handle) and a session ID → handle key, both expiring at the
// session's absolute deadline, so an entry whose session ended silently still goes; and a set of
// handles per user, pruned of handles whose hash is gone each time it is listed. The set's own
// lifetime is renewed to a full absolute timeout on every add, so it outlives all its members.

/** KEYS: handle hash, sid key, user set. ARGV: handle, sessionId, userId, createdAt, userAgent, ip, entry ttl ms, user set ttl ms, sid key prefix. */
const ADD = lua(`
local old = redis.call('HGET', KEYS[1], 'sessionId')
if old then redis.call('DEL', ARGV[9] .. old) end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'sessionId', ARGV[2], 'userId', ARGV[3], 'createdAt', ARGV[4], 'userAgent', ARGV[5], 'ip', ARGV[6])
redis.call('PEXPIRE', KEYS[1], ARGV[7])
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[7])
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('PEXPIRE', KEYS[3], ARGV[8])
return 1
`);

/** KEYS: handle hash, new sid key. ARGV: new sessionId, handle, sid key prefix. */
const RENAME = lua(`
local old = redis.call('HGET', KEYS[1], 'sessionId')
if not old then return 0 end
local ttl = redis.call('PTTL', KEYS[1])
if ttl <= 0 then return 0 end
redis.call('DEL', ARGV[3] .. old)
redis.call('HSET', KEYS[1], 'sessionId', ARGV[1])
redis.call('SET', KEYS[2], ARGV[2], 'PX', ttl)
return 1
`);

/** KEYS: handle hash. ARGV: handle, sid key prefix, user set prefix. */
const REMOVE = lua(`
local fields = redis.call('HMGET', KEYS[1], 'sessionId', 'userId')
redis.call('DEL', KEYS[1])
if fields[1] then redis.call('DEL', ARGV[2] .. fields[1]) end
if fields[2] then redis.call('SREM', ARGV[3] .. fields[2], ARGV[1]) end
return 1
`);

function toEntry(handle: string, hash: Record<string, string>): RegistryEntry | null {
  const { sessionId, userId, createdAt, userAgent = '', ip = '' } = hash;
  if (!sessionId || !userId || createdAt === undefined) return null;
  return { handle, sessionId, userId, createdAt: Number(createdAt), userAgent, ip };
}

export interface RedisRegistryOptions {
  client: RedisClient;
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
  const userSetPrefix = keys.user('');
  const byHandle = async (handle: string): Promise<RegistryEntry | null> => toEntry(handle, await client.hGetAll(keys.handle(handle)));
  const registry: SessionRegistry = {
    async add(entry) {
      // The absolute deadline runs from sign-in, which is the entry's createdAt (a renewal keeps both).
      const ttlMs = Math.max(1, entry.createdAt + absoluteTimeoutMs - clock.now()) + 1000;
      await runScript(client, ADD, [keys.handle(entry.handle), keys.bySession(entry.sessionId), keys.user(entry.userId)], [
        entry.handle,
        entry.sessionId,
        entry.userId,
        String(entry.createdAt),
        entry.userAgent,
        entry.ip,
        String(ttlMs),
        String(absoluteTimeoutMs + 1000),
        keys.bySessionPrefix,
      ]);
    },
    async list(userId) {
      const handles = await client.sMembers(keys.user(userId));
      if (handles.length === 0) return [];
      const multi = client.multi();
      for (const handle of handles) multi.hGetAll(keys.handle(handle));
      const hashes = (await multi.execAsPipeline()) as unknown as Array<Record<string, string>>;
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
      return handle ? byHandle(handle) : null;
    },
    async rename(handle, sessionId) {
      await runScript(client, RENAME, [keys.handle(handle), keys.bySession(sessionId)], [sessionId, handle, keys.bySessionPrefix]);
    },
    async remove(handle) {
      await runScript(client, REMOVE, [keys.handle(handle)], [handle, keys.bySessionPrefix, userSetPrefix]);
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
