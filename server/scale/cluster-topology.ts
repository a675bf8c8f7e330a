// A Redis Cluster connection that follows a failover: node-redis alone never learns that a dead master's replica took over.
import type { Logger } from '../sessions/logger.js';
import { errorSummary } from '../sessions/retry.js';
import type { RedisClient, RedisCluster } from './redis-types.js';

/** Emitted on the cluster after sharded subscriptions were moved to a new master: what was published meanwhile is lost. */
export const RESUBSCRIBED = 'tether:resubscribed';

type ShardedListeners = Array<{ channel: string; strings: Parameters<RedisCluster['sSubscribe']>[1][]; buffers: Parameters<RedisCluster['sSubscribe']>[1][] }>;

/** A copy of one connection's sharded subscriptions (the library empties its own when it drops the connection). */
function shardedListeners(client: RedisClient): ShardedListeners {
  return [...client.getPubSubListeners('SHARDED')].map(([channel, listeners]) => ({ channel, strings: [...listeners.strings], buffers: [...listeners.buffers] as ShardedListeners[number]['buffers'] }));
}

const isDown = (client: RedisClient | undefined): boolean => client !== undefined && !client.isReady;

/**
 * node-redis learns a new topology only from a MOVED answer. When a master dies and its replica
 * is promoted, a command connection to the dead address just reconnects (and with
 * `disableOfflineQueue` every command for those slots fails at once), and a sharded subscriber
 * stays subscribed to nobody: no live node ever answers MOVED. So while any master connection is
 * down, this asks the cluster for its slots every `checkEveryMs`; a master that is gone is then
 * dropped with its connections, and its sharded subscriptions are made again on the slots' new
 * master, after which the cluster emits RESUBSCRIBED. With the master merely restarting, the
 * topology is unchanged and nothing moves.
 * Returns the function that stops watching.
 * @example const stop = followFailovers(cluster, { log, role: 'subscriber' }); cluster.on(RESUBSCRIBED, recheck);
 */
export function followFailovers(cluster: RedisCluster, { log, role, checkEveryMs = 1000 }: { log: Logger; role: string; checkEveryMs?: number }): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  // One warning per run of failed checks (every second through a whole outage would flood the log).
  let failing = false;
  const masterDown = (): boolean => cluster.masters.some((master) => isDown(master.client) || isDown(master.pubSub?.client));

  const check = async (): Promise<void> => {
    if (stopped || !cluster.isOpen || !masterDown()) return;
    const orphans = cluster.masters.flatMap((master) => (master.pubSub && isDown(master.pubSub.client) ? [{ client: master.pubSub.client, listeners: shardedListeners(master.pubSub.client) }] : []));
    const startWith = cluster.masters.find((master) => master.client?.isReady)?.client ?? cluster.masters.find((master) => master.client)?.client;
    try {
      if (startWith) await cluster._slots.rediscover(startWith);
      const kept = new Set(cluster.masters.map((master) => master.pubSub?.client));
      const moved = orphans.filter(({ client }) => !kept.has(client));
      for (const { listeners } of moved) {
        for (const { channel, strings, buffers } of listeners) {
          for (const listener of strings) await cluster.sSubscribe(channel, listener);
          for (const listener of buffers) await cluster.sSubscribe(channel, listener, true);
        }
      }
      if (moved.length > 0) {
        log.warn({ role, channels: moved.flatMap(({ listeners }) => listeners.map(({ channel }) => channel)) }, 'redis cluster master replaced; subscriptions moved to the new master');
        cluster.emit(RESUBSCRIBED);
      }
      failing = false;
    } catch (error) {
      if (!failing) log.warn({ err: errorSummary(error), role }, 'redis cluster topology check failed; trying again every second');
      failing = true;
    }
  };
  const schedule = (): void => {
    if (timer || stopped) return;
    timer = setTimeout(() => {
      void check().finally(() => {
        timer = undefined;
        if (masterDown()) schedule();
      });
    }, checkEveryMs);
    timer.unref();
  };
  cluster.on('node-reconnecting', schedule);
  return () => {
    stopped = true;
    cluster.off('node-reconnecting', schedule);
    clearTimeout(timer);
  };
}
