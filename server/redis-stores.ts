// SESSION_STORE=redis: sessions, the session registry and cross-node socket messages over one Redis or a Redis Cluster.
import type { Stores, StoresOptions } from './stores.js';
import { probe } from './stores.js';
import { pingDatabase, type Database } from './db/database.js';
import type { TetherServer } from './socketio/index.js';
import { redisKeys } from './scale/index.js';
import { createTetherAdapter } from './scale/index.js';
import { connectRedis, disconnectRedis, type RedisClient } from './scale/index.js';
import { clientCommands, clusterCommands, type RedisCommands } from './scale/index.js';
import { clusterNodes, clusterSendCommand, connectRedisCluster, disconnectRedisCluster, type RedisCluster } from './scale/index.js';
import { createRedisRegistry } from './scale/index.js';
import { createRedisSessionStore } from './scale/index.js';
import { createShardedTetherAdapter } from './scale/index.js';
import { createRedisLimitStores, type SendCommand } from './scale/index.js';

/** The core announces ends and renewals with retries (sessions/end.ts): those must not vanish while Redis is down. */
const RETRIED_EVENTS: ReadonlySet<string> = new Set(['tether:end', 'tether:renew']);

/** One connection (or cluster) for commands, and what attaching the adapter and closing mean for it. */
interface Link {
  commands: RedisCommands;
  native: RedisClient | RedisCluster;
  send: SendCommand;
  attach(io: TetherServer): Promise<void>;
  close(): Promise<void>;
}

async function standalone({ config, log }: StoresOptions, keys: ReturnType<typeof redisKeys>): Promise<Link> {
  const client: RedisClient = await connectRedis({ url: config.redisUrl, log, role: 'commands', name: `${config.redisPrefix}commands`, failFast: true });
  let subscriber: RedisClient | undefined;
  return {
    commands: clientCommands(client),
    native: client,
    send: (args) => client.sendCommand(args),
    async attach(io) {
      subscriber ??= await connectRedis({ url: config.redisUrl, log, role: 'subscriber', name: `${config.redisPrefix}subscriber` });
      io.adapter(createTetherAdapter({ pub: client, sub: subscriber, keys, log, requestsTimeoutMs: 1000, retriedEvents: RETRIED_EVENTS }));
    },
    async close() {
      await Promise.all([disconnectRedis(client), subscriber ? disconnectRedis(subscriber) : undefined]);
    },
  };
}

async function cluster({ config, log }: StoresOptions, keys: ReturnType<typeof redisKeys>, nodes: string[]): Promise<Link> {
  const commands: RedisCluster = await connectRedisCluster({ nodes, log, role: 'commands', name: `${config.redisPrefix}commands`, failFast: true });
  let subscriber: RedisCluster | undefined;
  return {
    commands: clusterCommands(commands),
    native: commands,
    send: clusterSendCommand(commands),
    async attach(io) {
      subscriber ??= await connectRedisCluster({ nodes, log, role: 'subscriber', name: `${config.redisPrefix}subscriber` });
      io.adapter(createShardedTetherAdapter({ pub: commands, sub: subscriber, keys, log, requestsTimeoutMs: 1000, retriedEvents: RETRIED_EVENTS }) as Parameters<TetherServer['adapter']>[0]);
    },
    async close() {
      await Promise.all([disconnectRedisCluster(commands), subscriber ? disconnectRedisCluster(subscriber) : undefined]);
    },
  };
}

/**
 * One command connection (sessions, registry, adapter publishes; fails fast while Redis is down)
 * and, once an adapter is attached, one subscriber connection: to one Redis, or with
 * `REDIS_URL=redis+cluster://…` to a Redis Cluster (sharded pub/sub). Start-up fails with one line
 * when Redis cannot be reached; after that, outages are survived and recovered from without a restart.
 * @example const stores = await createRedisStores({ config, clock, log, db });
 */
export async function createRedisStores(options: StoresOptions & { db: Database }): Promise<Stores> {
  const { config, clock, db } = options;
  const keys = redisKeys(config.redisPrefix);
  let link: Link;
  try {
    const nodes = clusterNodes(config.redisUrl);
    link = nodes ? await cluster(options, keys, nodes) : await standalone(options, keys);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const store = createRedisSessionStore({ client: link.commands, native: link.native, keys, clock, absoluteTimeoutMs: config.absoluteTimeoutMs });
  const registry = createRedisRegistry({ client: link.commands, keys, clock, absoluteTimeoutMs: config.absoluteTimeoutMs });
  // Every per-user and per-address limit counts across the nodes (sign-in failures, registrations, handshakes).
  const limits = createRedisLimitStores({ send: link.send, prefix: config.redisPrefix });

  return {
    store,
    registry,
    db,
    limits,
    // App state the nodes share (the board counter), over one Redis or a cluster alike.
    redis: { commands: link.commands, prefix: config.redisPrefix },
    async attachAdapter(io: TetherServer) {
      await link.attach(io);
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
      await link.close();
      await db.destroy();
    },
  };
}
