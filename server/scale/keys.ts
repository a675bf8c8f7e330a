// Every Redis key and channel name tether uses, under one prefix (REDIS_PREFIX) so runs can share a Redis.
//
// Redis Cluster: a session's entry and its tombstone are checked and written together by one
// script, so both carry the hash tag `{<session ID>}` and live in one slot. Every other key is
// used alone by each call (the registry's scripts touch one key each), so it needs no tag. The
// deadline index is DEADLINE_BUCKETS sorted sets, a session's ID always in the same one, written
// only by single-key commands (never inside a session's script, which runs on the session's
// slot); on a cluster the buckets spread over the shards, so no one shard takes every write.

/** Names under `prefix` (e.g. `tether:`): sessions, tombstones, the session registry, the adapter. */
export interface RedisKeys {
  readonly prefix: string;
  /** Prefix of the session entries, as connect-redis takes it (its own scans only; our calls use `session`). */
  readonly sessionPrefix: string;
  session(sessionId: string): string;
  /** Marks an ended session ID (value: why); outlives every possible late save of it. */
  tombstone(sessionId: string): string;
  /** Hash of one registry entry, by public handle. */
  handle(handle: string): string;
  bySession(sessionId: string): string;
  /** Set of a user's handles. */
  user(userId: string): string;
  /** A user's credential epoch (bumped by a password change). */
  epoch(userId: string): string;
  /** The sorted set (of DEADLINE_BUCKETS) that indexes this session by its next deadline (deadline-index.ts). */
  deadlines(sessionId: string): string;
  /** Every bucket of the deadline index, as the sweep reads them. */
  readonly deadlineBuckets: readonly string[];
  /** Channel prefix of the Socket.IO adapter (`key` option). */
  readonly adapter: string;
}

/** How many sorted sets the deadline index is split into. */
export const DEADLINE_BUCKETS = 16;

/** FNV-1a of the ID, modulo the bucket count: the same ID, the same bucket, on every node. */
function bucketOf(sessionId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < sessionId.length; i += 1) hash = Math.imul(hash ^ sessionId.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % DEADLINE_BUCKETS;
}

/**
 * @example const keys = redisKeys('tether:'); keys.session(sid) === `tether:sess:{${sid}}`
 */
export function redisKeys(prefix: string): RedisKeys {
  const sessionPrefix = `${prefix}sess:`;
  const bySessionPrefix = `${prefix}reg:sid:`;
  return {
    prefix,
    sessionPrefix,
    session: (sid) => `${sessionPrefix}{${sid}}`,
    tombstone: (sid) => `${prefix}ended:{${sid}}`,
    handle: (handle) => `${prefix}reg:handle:${handle}`,
    bySession: (sid) => bySessionPrefix + sid,
    user: (userId) => `${prefix}reg:user:${userId}`,
    epoch: (userId) => `${prefix}epoch:${userId}`,
    deadlines: (sid) => `${prefix}deadlines:${bucketOf(sid)}`,
    deadlineBuckets: Array.from({ length: DEADLINE_BUCKETS }, (_, bucket) => `${prefix}deadlines:${bucket}`),
    adapter: `${prefix}socket.io`,
  };
}
