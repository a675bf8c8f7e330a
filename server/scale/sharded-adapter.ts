// Cross-node messages over a Redis Cluster: @socket.io/redis-adapter's sharded adapter (SPUBLISH, Redis 7), hardened.
import type { Namespace } from 'socket.io';
import { createShardedAdapter } from '@socket.io/redis-adapter';
import { errorSummary } from '../sessions/retry.js';
import { bounded } from './redis-client.js';
import type { TetherAdapterOptions } from './redis-adapter.js';
import type { RedisCluster } from './redis-cluster.js';
import type { RedisClient } from './redis-types.js';
import { catchingClient } from './catching-client.js';
import { SERVER_SIDE_EMIT, shardedChannel } from './sharded-messages.js';
import { tombstoneResync } from './tombstone-resync.js';
import { RESUBSCRIBED } from './cluster-topology.js';

/** The classic adapter's options, over a cluster's connections. */
export interface ShardedAdapterOptions extends Omit<TetherAdapterOptions, 'pub' | 'sub'> {
  pub: RedisCluster;
  sub: RedisCluster;
  /** Wait before publishing a retried event again (ms, by attempt). */
  retryDelayMs?: (attempt: number) => number;
}

type Ack = (err: Error | null, replies: unknown[]) => void;
interface Message {
  type: number;
  data?: { packet?: unknown[]; requestId?: string };
}
interface StoredRequest {
  resolve: Ack;
  timeout: ReturnType<typeof setTimeout>;
  responses: unknown[];
}
/** The members of the library's adapter this module replaces or reads (protected or private there). */
interface ShardedInternals {
  publish(message: Message): void;
  publishAndReturnOffset(message: Message): Promise<string>;
  serverCount(): Promise<number>;
  serverSideEmit(packet: unknown[]): Promise<unknown>;
  close(): Promise<void> | void;
  readonly requests: Map<string, StoredRequest>;
  readonly rooms: Map<string, Set<string>>;
}

const SUBSCRIPTIONS = new Set(['sSubscribe', 'sUnsubscribe', 'SSUBSCRIBE', 'SUNSUBSCRIBE']);

/**
 * Calls `run` each time one of the cluster's sharded subscriber connections is ready again after
 * it dropped (it resubscribes by itself; what was published meanwhile is lost), and when the
 * subscriptions were moved to a replica that took over (RESUBSCRIBED). The cluster forwards only
 * a node's first 'ready', but every 'reconnecting': that is when to wait for the next.
 * Returns the function that stops watching.
 */
function onResubscribed(sub: RedisCluster, run: () => void): () => void {
  const waiting = new Map<RedisClient, () => void>();
  const onReconnecting = (): void => {
    for (const master of sub.masters) {
      const client = master.pubSub?.client;
      if (!client || client.isReady || waiting.has(client)) continue;
      const ready = (): void => {
        waiting.delete(client);
        run();
      };
      waiting.set(client, ready);
      client.once('ready', ready);
    }
  };
  sub.on('node-reconnecting', onReconnecting);
  sub.on(RESUBSCRIBED, run);
  return () => {
    sub.off('node-reconnecting', onReconnecting);
    sub.off(RESUBSCRIBED, run);
    for (const [client, ready] of waiting) client.off('ready', ready);
    waiting.clear();
  };
}

const numSub = (reply: unknown): number => (Array.isArray(reply) ? Number(reply[1] ?? 0) : 0);

/**
 * For `io.adapter(...)` with REDIS_URL=redis+cluster://…. Static subscription mode: two channels
 * per namespace, `<prefix>socket.io#/#` and one per node for answers, rather than one channel per
 * room, so a million sessions do not mean a million SSUBSCRIBEs. What crosses nodes is small
 * (end, renew, count), so one channel's shard carries it easily (docs/scale-out.md has the numbers).
 * Changes to the library's behaviour: the core's end and renew announcements are published again
 * until they get through (the library drops a failed publish); the node count and acked requests
 * answer within `requestsTimeoutMs` with what arrived (the library waits 5 s); after a subscriber
 * connection comes back, the tombstones of this node's sessions are re-checked (tombstone-resync.ts).
 * @example io.adapter(createShardedTetherAdapter({ pub: cluster, sub: cluster.duplicate(), keys, log }));
 */
export function createShardedTetherAdapter({ pub, sub, keys, log, requestsTimeoutMs = 1000, resyncAfterMs, retriedEvents = new Set(), retryDelayMs = (n) => Math.min(100 * 2 ** n, 2000) }: ShardedAdapterOptions): (nsp: Namespace) => unknown {
  const factory = createShardedAdapter(pub, catchingClient(sub, SUBSCRIPTIONS, log, 'redis cluster subscription failed'), { channelPrefix: keys.adapter, subscriptionMode: 'static' });
  return function shardedTetherAdapter(nsp: Namespace) {
    const adapter = factory(nsp) as unknown as ShardedInternals;
    const channel = shardedChannel(keys, nsp.name);
    let closed = false;
    // GET per key, not MGET: tombstones live in their sessions' slots, and the cluster pipelines
    // the GETs of one tick to each master.
    const resync = tombstoneResync({ namespace: nsp, rooms: () => adapter.rooms.keys(), read: (tombstones) => Promise.all(tombstones.map((key) => pub.get(key))), keys, log, delaysMs: resyncAfterMs });
    const stopWatching = onResubscribed(sub, resync.schedule);

    const isRetried = (message: Message): boolean => message.type === SERVER_SIDE_EMIT && !message.data?.requestId && retriedEvents.has(String(message.data?.packet?.[0]));
    const attempt = (message: Message, tries: number): void => {
      adapter.publishAndReturnOffset(message).catch((error: unknown) => {
        if (closed || !isRetried(message)) return log.warn({ err: errorSummary(error) }, 'redis cluster publish failed');
        if (tries === 0) log.warn({ err: errorSummary(error), event: message.data?.packet?.[0] }, 'redis cluster publish failed; retrying');
        setTimeout(() => attempt(message, tries + 1), retryDelayMs(tries)).unref();
      });
    };
    adapter.publish = (message) => attempt(message, 0);

    // SHARDNUMSUB answers on the master of the channel's slot; routed there by the channel name.
    adapter.serverCount = async () => {
      try {
        return Math.max(1, numSub(await bounded(pub.sendCommand(channel, true, ['PUBSUB', 'SHARDNUMSUB', channel]), requestsTimeoutMs)));
      } catch {
        return 1;
      }
    };

    const serverSideEmit = adapter.serverSideEmit.bind(adapter);
    adapter.serverSideEmit = (packet) => {
      const last = packet[packet.length - 1];
      if (typeof last !== 'function') return serverSideEmit(packet);
      let answered = false;
      const ack: Ack = (err, replies) => {
        if (answered) return;
        answered = true;
        clearTimeout(guard);
        (last as Ack)(err, replies);
      };
      // Counting takes up to requestsTimeout, and so do the answers: then reply with what arrived.
      const guard = setTimeout(() => {
        for (const [id, request] of adapter.requests) {
          if (request.resolve !== ack) continue;
          clearTimeout(request.timeout);
          adapter.requests.delete(id);
          return ack(new Error('not every node answered in time'), request.responses);
        }
        ack(new Error('no answer from the other nodes'), []);
      }, 2 * requestsTimeoutMs);
      return serverSideEmit([...packet.slice(0, -1), ack]);
    };

    const close = adapter.close.bind(adapter);
    adapter.close = () => {
      closed = true;
      stopWatching();
      resync.close();
      return close();
    };
    return adapter;
  };
}
