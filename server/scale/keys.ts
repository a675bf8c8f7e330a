// Every Redis key and channel name tether uses, under one prefix (REDIS_PREFIX) so runs can share a Redis.
//
// Redis Cluster: a session's entry and its tombstone are checked and written together by one
// script, so both carry the hash tag `{<session ID>}` and live in one slot. Every other key is
// used alone by each call (the registry's scripts touch one key each), so it needs no tag. The
// deadline index is one sorted set, written only by single-key commands (never inside a session's
// script, which runs on the session's slot).

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
  /** Sorted set of live session IDs by next deadline (deadline-index.ts), swept by every node. */
  readonly deadlines: string;
  /** Channel prefix of the Socket.IO adapter (`key` option). */
  readonly adapter: string;
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
    deadlines: `${prefix}deadlines`,
    adapter: `${prefix}socket.io`,
  };
}
