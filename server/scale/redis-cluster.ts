// Redis Cluster: the `redis+cluster://host:port,host:port` form of REDIS_URL, and its connection.
import { createCluster } from 'redis';
import type { RedisCluster } from './redis-types.js';
import type { Logger } from '../sessions/logger.js';
import { errorSummary } from '../sessions/retry.js';
import { defaultReconnectDelay, redactedUrl } from './redis-client.js';
import { followFailovers } from './cluster-topology.js';

export type { RedisCluster };

/**
 * The seed nodes of a `redis+cluster://` (or `rediss+cluster://`, TLS) URL as plain node URLs,
 * credentials kept; null for any other URL. Any reachable seed is enough: the client discovers
 * the rest of the cluster (CLUSTER SLOTS).
 * @example clusterNodes('redis+cluster://:pw@10.0.0.1:7000,10.0.0.2:7000') // ['redis://:pw@10.0.0.1:7000', 'redis://:pw@10.0.0.2:7000']
 */
export function clusterNodes(url: string): string[] | null {
  const match = /^(rediss?)\+cluster:\/\/(?:([^@/]*)@)?([^/?#@]+)\/?$/.exec(url);
  if (!match) return null;
  const [, scheme, auth, hosts] = match;
  const nodes = (hosts ?? '').split(',').map((h) => h.trim());
  if (nodes.length === 0 || nodes.some((h) => !/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/.test(h))) return null;
  return nodes.map((h) => `${scheme}://${auth ? `${auth}@` : ''}${h}`);
}

export interface RedisClusterConnectOptions {
  nodes: readonly string[];
  log: Logger;
  role: string;
  /** CLIENT SETNAME of every connection, so `CLIENT LIST` on a master shows whose it is (e.g. `tether:subscriber`). */
  name?: string;
  /** Commands fail at once while their slot's master is unreachable, instead of queueing. */
  failFast?: boolean;
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
}

/**
 * Connects to a cluster: errors are logged once per outage (never an unhandled 'error'), every
 * node's connection reconnects by itself, a master replaced by its replica is followed
 * (cluster-topology.ts), and start-up gives up after `connectTimeoutMs`.
 * @example const cluster = await connectRedisCluster({ nodes: clusterNodes(config.redisUrl)!, log, role: 'commands', failFast: true });
 */
export async function connectRedisCluster({ nodes, log, role, name, failFast = false, commandTimeoutMs = 1000, connectTimeoutMs = 5000 }: RedisClusterConnectOptions): Promise<RedisCluster> {
  const cluster: RedisCluster = createCluster({
    rootNodes: nodes.map((url) => ({ url })),
    defaults: {
      ...(name ? { name } : {}),
      disableOfflineQueue: failFast,
      ...(failFast ? { commandOptions: { timeout: commandTimeoutMs } } : {}),
      socket: { connectTimeout: Math.min(connectTimeoutMs, 5000), reconnectStrategy: (retries: number) => defaultReconnectDelay(retries) },
    },
  });
  let lastWarn = 0;
  const warn = (error: unknown): void => {
    if (Date.now() - lastWarn < 1000) return;
    lastWarn = Date.now();
    log.warn({ err: errorSummary(error), role }, 'redis cluster error; reconnecting');
  };
  cluster.on('error', warn);
  cluster.on('node-error', warn);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const gaveUp = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`cannot reach the Redis Cluster at ${nodes.map(redactedUrl).join(', ')} (REDIS_URL) within ${connectTimeoutMs} ms`)), connectTimeoutMs);
  });
  try {
    await Promise.race([cluster.connect(), gaveUp]);
  } catch (error) {
    cluster.destroy();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  log.info({ role, nodes: nodes.length }, 'redis cluster connected');
  cluster.once('disconnect', followFailovers(cluster, { log, role }));
  return cluster;
}

/** Closes gracefully while the cluster answers, else drops every connection. */
export async function disconnectRedisCluster(cluster: RedisCluster, timeoutMs = 1000): Promise<void> {
  if (!cluster.isOpen) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), timeoutMs);
  });
  try {
    if ((await Promise.race([cluster.close().then(() => 'closed' as const), late])) === 'late') cluster.destroy();
  } catch {
    if (cluster.isOpen) cluster.destroy();
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Raw commands over a cluster, for libraries that send them (rate-limit-redis): EVAL/EVALSHA go to
 * their first key's master, SCRIPT (LOAD) to every master, so a loaded script runs on any slot.
 * @example createRedisLimitStores({ send: clusterSendCommand(cluster), prefix });
 */
export function clusterSendCommand(cluster: RedisCluster): (args: string[]) => Promise<unknown> {
  return async (args) => {
    const command = (args[0] ?? '').toUpperCase();
    if (command === 'SCRIPT') {
      const replies = await Promise.all(cluster.masters.map(async (master) => (await cluster.nodeClient(master)).sendCommand(args)));
      return replies[0];
    }
    const firstKey = command === 'EVALSHA' || command === 'EVAL' ? args[3] : args[1];
    return cluster.sendCommand(firstKey, false, args);
  };
}
