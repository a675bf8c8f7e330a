// What the operators' command acts on: the nodes' Redis session store and registry, and their tabs through @socket.io/redis-emitter.
import { Emitter } from '@socket.io/redis-emitter';
import type { ServerToClientEvents } from '../../shared/events.js';
import { createSessionLifecycle, silentLogger, type SessionLifecycle } from '../sessions/index.js';
import { userRoom } from '../socketio/index.js';
import { clientCommands, connectRedis, createRedisRegistry, createRedisSessionStore, disconnectRedis, redisKeys } from '../scale/index.js';

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
  close(): Promise<void>;
}

/**
 * A lifecycle over the nodes' own Redis store and registry (an end is the same transition, with
 * the same tombstone, as on a node), whose ends are announced with the nodes' own `tether:end`
 * server-side message: every node ends its sockets of the session at once.
 * @example const target = await openRedisTarget({ redisUrl, redisPrefix: 'tether:', idleTimeoutMs, absoluteTimeoutMs });
 *          await target.lifecycle.endAllOfUser(userId, 'revoked'); await target.close();
 */
export async function openRedisTarget(options: RedisTargetOptions): Promise<RedisTarget> {
  const keys = redisKeys(options.redisPrefix);
  const client = await connectRedis({ url: options.redisUrl, log: silentLogger, role: 'admin', name: `${options.redisPrefix}admin`, failFast: true });
  const clock = { now: () => Date.now(), setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms), clearTimeout: (h: ReturnType<typeof setTimeout>) => clearTimeout(h) };
  const commands = clientCommands(client);
  const store = createRedisSessionStore({ client: commands, native: client, keys, clock, absoluteTimeoutMs: options.absoluteTimeoutMs });
  const registry = createRedisRegistry({ client: commands, keys, clock, absoluteTimeoutMs: options.absoluteTimeoutMs });
  // No sweep: a one-shot command ends what it is told to; the nodes sweep expiries.
  const lifecycle = createSessionLifecycle({ store, registry, clock, idleTimeoutMs: options.idleTimeoutMs, absoluteTimeoutMs: options.absoluteTimeoutMs, sweepEveryMs: false });
  const emitter = new Emitter<ServerToClientEvents>(client, { key: keys.adapter });
  // Published before the store work of the end (the lifecycle tells subscribers first), like a node.
  const off = lifecycle.on('ended', ({ sessionId, reason, deadline }) => emitter.serverSideEmit('tether:end', sessionId, reason, ...(deadline ? [deadline] : [])));
  return {
    lifecycle,
    changed(userId) {
      emitter.to(userRoom(userId)).emit('sessions:changed');
      emitter.to(userRoom(userId)).emit('activity:changed');
    },
    async close() {
      off();
      lifecycle.close();
      // close() lets the queued publishes go out first.
      await disconnectRedis(client, 3000);
    },
  };
}
