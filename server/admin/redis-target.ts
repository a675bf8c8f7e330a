// What the operators' command acts on: the nodes' Redis (or Redis Cluster) session store and registry, and their tabs.
import { Emitter } from '@socket.io/redis-emitter';
import type { ServerToClientEvents } from '../../shared/events.js';
import type { EndReason, ExpiredDeadline } from '../../shared/reasons.js';
import { createSessionLifecycle, silentLogger, type SessionLifecycle } from '../sessions/index.js';
import { userRoom } from '../socketio/index.js';
import {
  clientCommands,
  clusterCommands,
  clusterNodes,
  connectRedis,
  connectRedisCluster,
  createRedisRegistry,
  createRedisSessionStore,
  createShardedEmitter,
  disconnectRedis,
  disconnectRedisCluster,
  redisKeys,
  type RedisClient,
  type RedisCluster,
  type RedisCommands,
  type RedisKeys,
} from '../scale/index.js';

export interface RedisTargetOptions {
  redisUrl: string;
  /** REDIS_PREFIX of the nodes: the same keys and the same adapter channels. */
  redisPrefix: string;
  idleTimeoutMs: number;
  absoluteTimeoutMs: number;
}

export interface RedisTarget {
  lifecycle: SessionLifecycle;
  changed(userId: string): void;
  /** Resolves how many messages to the nodes could not be sent (their tabs then close only at their next request or touch). */
  close(): Promise<{ unsent: number }>;
}

/** How the command reaches the nodes: the commands, and the messages their adapter listens to. */
interface Link {
  commands: RedisCommands;
  native: RedisClient | RedisCluster;
  announceEnd(sessionId: string, reason: EndReason, deadline?: ExpiredDeadline): void;
  changed(userId: string): void;
  /** Resolves how many publishes failed. */
  close(): Promise<number>;
}

/** One Redis: the nodes run the classic Redis adapter (PUBLISH), which @socket.io/redis-emitter speaks. */
async function standalone(url: string, keys: RedisKeys): Promise<Link> {
  const client = await connectRedis({ url, log: silentLogger, role: 'admin', name: `${keys.prefix}admin`, failFast: true });
  const emitter = new Emitter<ServerToClientEvents>(client, { key: keys.adapter });
  return {
    commands: clientCommands(client),
    native: client,
    announceEnd: (sessionId, reason, deadline) => emitter.serverSideEmit('tether:end', sessionId, reason, ...(deadline ? [deadline] : [])),
    changed(userId) {
      emitter.to(userRoom(userId)).emit('sessions:changed');
      emitter.to(userRoom(userId)).emit('activity:changed');
    },
    // close() lets the queued publishes go out first; the emitter does not return them, so a
    // failure to send shows only as a failed close.
    async close() {
      await disconnectRedis(client, 3000);
      return 0;
    },
  };
}

/**
 * A Redis Cluster: the nodes run the sharded adapter (SSUBSCRIBE), which never hears a PUBLISH;
 * the sharded emitter SPUBLISHes the adapter's own messages. Every publish is awaited before close.
 */
async function cluster(nodes: string[], keys: RedisKeys): Promise<Link> {
  const client = await connectRedisCluster({ nodes, log: silentLogger, role: 'admin', failFast: true });
  const emitter = createShardedEmitter({ pub: client, keys });
  const sent = new Set<Promise<void>>();
  let failed = 0;
  const send = (publish: Promise<void>): void => {
    const tracked = publish.catch(() => void (failed += 1)).finally(() => sent.delete(tracked));
    sent.add(tracked);
  };
  return {
    commands: clusterCommands(client),
    native: client,
    announceEnd: (sessionId, reason, deadline) => send(emitter.serverSideEmit('tether:end', sessionId, reason, ...(deadline ? [deadline] : []))),
    changed(userId) {
      send(emitter.emitToRoom(userRoom(userId), 'sessions:changed'));
      send(emitter.emitToRoom(userRoom(userId), 'activity:changed'));
    },
    async close() {
      await Promise.all(sent);
      await disconnectRedisCluster(client, 3000);
      return failed;
    },
  };
}

/**
 * A lifecycle over the nodes' own Redis store and registry (an end is the same transition, with
 * the same tombstone, as on a node), whose ends are announced with the nodes' own `tether:end`
 * server-side message: every node ends its sockets of the session at once. REDIS_URL may name a
 * cluster (`redis+cluster://…`), as for the nodes.
 * @example const target = await openRedisTarget({ redisUrl, redisPrefix: 'tether:', idleTimeoutMs, absoluteTimeoutMs });
 *          await target.lifecycle.endAllOfUser(userId, 'revoked'); await target.close();
 */
export async function openRedisTarget(options: RedisTargetOptions): Promise<RedisTarget> {
  const keys = redisKeys(options.redisPrefix);
  const seeds = clusterNodes(options.redisUrl);
  const link = seeds ? await cluster(seeds, keys) : await standalone(options.redisUrl, keys);
  const clock = { now: () => Date.now(), setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms), clearTimeout: (h: ReturnType<typeof setTimeout>) => clearTimeout(h) };
  const store = createRedisSessionStore({ client: link.commands, native: link.native, keys, clock, absoluteTimeoutMs: options.absoluteTimeoutMs });
  const registry = createRedisRegistry({ client: link.commands, keys, clock, absoluteTimeoutMs: options.absoluteTimeoutMs });
  // No sweep: a one-shot command ends what it is told to; the nodes sweep expiries.
  const lifecycle = createSessionLifecycle({ store, registry, clock, idleTimeoutMs: options.idleTimeoutMs, absoluteTimeoutMs: options.absoluteTimeoutMs, sweepEveryMs: false });
  // Published before the store work of the end (the lifecycle tells subscribers first), like a node;
  // only the ends decided here (one it learned from the store was announced by whoever decided it).
  const off = lifecycle.on('ended', ({ sessionId, reason, deadline, origin }) => origin === 'here' && link.announceEnd(sessionId, reason, deadline));
  return {
    lifecycle,
    changed: (userId) => link.changed(userId),
    async close() {
      off();
      lifecycle.close();
      return { unsent: await link.close() };
    },
  };
}
