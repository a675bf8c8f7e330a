// Every Redis key and channel name tether uses, under one prefix (REDIS_PREFIX) so runs can share a Redis.

/** Names under `prefix` (e.g. `tether:`): sessions, tombstones, the session registry, the adapter. */
export interface RedisKeys {
  readonly prefix: string;
  /** Prefix of the session entries, as connect-redis takes it. */
  readonly sessionPrefix: string;
  session(sessionId: string): string;
  /** Marks an ended session ID (value: why); outlives every possible late save of it. */
  tombstone(sessionId: string): string;
  /** Hash of one registry entry, by public handle. */
  handle(handle: string): string;
  /** Prefix of the session ID → handle keys (a script builds them from an ID it reads). */
  readonly bySessionPrefix: string;
  bySession(sessionId: string): string;
  /** Set of a user's handles. */
  user(userId: string): string;
  /** A user's credential epoch (bumped by a password change). */
  epoch(userId: string): string;
  /** Channel prefix of the Socket.IO adapter (`key` option). */
  readonly adapter: string;
}

/**
 * @example const keys = redisKeys('tether:'); keys.session(sid) === `tether:sess:${sid}`
 */
export function redisKeys(prefix: string): RedisKeys {
  const sessionPrefix = `${prefix}sess:`;
  const bySessionPrefix = `${prefix}reg:sid:`;
  return {
    prefix,
    sessionPrefix,
    session: (sid) => sessionPrefix + sid,
    tombstone: (sid) => `${prefix}ended:${sid}`,
    handle: (handle) => `${prefix}reg:handle:${handle}`,
    bySessionPrefix,
    bySession: (sid) => bySessionPrefix + sid,
    user: (userId) => `${prefix}reg:user:${userId}`,
    epoch: (userId) => `${prefix}epoch:${userId}`,
    adapter: `${prefix}socket.io`,
  };
}
