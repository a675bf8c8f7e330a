// The dashboard's SESSION_STORE=redis: sessions, the session registry and cross-node socket messages over one Redis.
import type { Stores, StoresOptions } from './stores.js';
import { probe } from './stores.js';
import { pingDatabase, type Database } from './db/database.js';
import type { TetherServer } from './socketio/index.js';
import { redisKeys } from './scale/index.js';
import { createTetherAdapter } from './scale/index.js';
import { connectRedis, disconnectRedis, type RedisClient } from './scale/index.js';
import { createRedisRegistry } from './scale/index.js';
import { createRedisSessionStore } from './scale/index.js';
import { createRedisLimitStores } from './scale/index.js';

/**
 * One command connection (sessions, registry, adapter publishes; fails fast while Redis is down)
 * and, once an adapter is attached, one subscriber connection. Start-up fails with one line when
 * Redis cannot be reached; after that, outages are survived and recovered from without a restart.
 * @example const stores = await createRedisStores({ config, clock, log, db });
 */
export async function createRedisStores({ config, clock, log, db }: StoresOptions & { db: Database }): Promise<Stores> {
  const keys = redisKeys(config.redisPrefix);
  let client: RedisClient;
  try {
    client = await connectRedis({ url: config.redisUrl, log, role: 'commands', name: `${config.redisPrefix}commands`, failFast: true });
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const store = createRedisSessionStore({ client, keys, clock, absoluteTimeoutMs: config.absoluteTimeoutMs });
  const registry = createRedisRegistry({ client, keys, clock, absoluteTimeoutMs: config.absoluteTimeoutMs });
  // Every per-user and per-address limit counts across the nodes (sign-in failures, registrations, handshakes).
  const limits = createRedisLimitStores({ client, prefix: config.redisPrefix });
  let subscriber: RedisClient | undefined;

  return {
    store,
    registry,
    db,
    limits,
    redis: { client, prefix: config.redisPrefix },
    async attachAdapter(io: TetherServer) {
      subscriber ??= await connectRedis({ url: config.redisUrl, log, role: 'subscriber', name: `${config.redisPrefix}subscriber` });
      // The core announces ends and renewals with retries (sessions/end.ts): let those fail while
      // Redis is down instead of vanishing.
      io.adapter(createTetherAdapter({ pub: client, sub: subscriber, keys, log, requestsTimeoutMs: 1000, retriedEvents: new Set(['tether:end', 'tether:renew']) }));
      return true;
    },
    async failing() {
      const [redisUp, databaseUp] = await Promise.all([probe(() => store.ping()), probe(() => pingDatabase(db))]);
      const failing: Array<'redis' | 'database'> = [];
      if (!redisUp) failing.push('redis');
      if (!databaseUp) failing.push('database');
      return failing;
    },
    async close() {
      await limits.close();
      await Promise.all([disconnectRedis(client), subscriber ? disconnectRedis(subscriber) : undefined]);
      await db.destroy();
    },
  };
}
