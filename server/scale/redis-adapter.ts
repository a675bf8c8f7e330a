// The Socket.IO adapter across nodes: @socket.io/redis-adapter (pub/sub), hardened for Redis outages.
//
// Why the pub/sub adapter and not @socket.io/redis-streams-adapter:
// - What crosses nodes here is small and idempotent: "end session X", "renew X", "count sockets of
//   user U". None of it needs replay, and the core never waits for it (this node's sockets end first).
// - When Redis drops, both adapters lose the same thing: nothing can be published until it returns.
//   The streams adapter would additionally replay to a node whose own connection blipped what was
//   XADDed meanwhile (and offers connection-state recovery); the pub/sub adapter drops it. We cover
//   that gap without it: the core retries its announcements until they are published, and a node
//   whose subscriber reconnects re-checks its sessions' Redis tombstones (see `resync`), which is the
//   cross-node truth anyway. A replayed stream could not do better: a message is only as good as the
//   tombstone behind it.
// - The pub/sub adapter keeps nothing in Redis (no stream to trim), answers `serverSideEmit` acks
//   within `requestsTimeout`, and is installed; the streams one is not a dependency of this project.
import type { Namespace } from 'socket.io';
import { RedisAdapter } from '@socket.io/redis-adapter';
import { END_REASONS, type EndReason } from '../../shared/reasons.js';
import type { Logger } from '../sessions/logger.js';
import { sessionRoom } from '../socketio/rooms.js';
import { errorSummary } from '../sessions/retry.js';
import type { RedisKeys } from './keys.js';
import { bounded, type RedisClient } from './redis-client.js';

/** Thrown by a server-side emit while Redis is unreachable, so the core retries the announcement. */
export class AdapterUnavailableError extends Error {
  readonly code = 'unavailable';
  constructor() {
    super('redis adapter unavailable: not connected');
    this.name = 'AdapterUnavailableError';
  }
}

export interface TetherAdapterOptions {
  pub: RedisClient;
  sub: RedisClient;
  keys: RedisKeys;
  log: Logger;
  /** A node that does not answer a request within this is left out (1 s per the contract). */
  requestsTimeoutMs?: number;
  /** After the subscriber reconnects, tombstones are re-checked at these delays (ms). */
  resyncAfterMs?: readonly number[];
  /**
   * Server-side events whose sender retries them (the core's `tether:end` and `tether:renew`):
   * emitting one while Redis is down throws, so the retry publishes it once Redis is back. Any
   * other event is dropped while Redis is down, as Socket.IO callers expect no throw.
   */
  retriedEvents?: ReadonlySet<string>;
}

type Ack = (err: Error | null, replies: unknown[]) => void;

const isEndReason = (value: string): value is EndReason => (END_REASONS as readonly string[]).includes(value);
const SESSION_ROOM_PREFIX = sessionRoom('');

/**
 * The adapter calls `publish` and (un)subscribe without awaiting or catching them: with Redis
 * down each would be an unhandled rejection, which ends a Node process. This view of a client
 * catches those (logging at most once a second); every other member is the client's own.
 */
function catchingClient(client: RedisClient, methods: ReadonlySet<string>, log: Logger, role: string): RedisClient {
  let lastLog = 0;
  const report = (error: unknown): void => {
    if (Date.now() - lastLog < 1000) return;
    lastLog = Date.now();
    log.warn({ err: errorSummary(error), role }, 'redis adapter command failed');
  };
  return new Proxy(client, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      const bound = (value as (...args: unknown[]) => unknown).bind(target);
      if (typeof prop !== 'string' || !methods.has(prop)) return bound;
      return (...args: unknown[]) => {
        const result = bound(...args);
        return result instanceof Promise ? result.catch(report) : result;
      };
    },
  });
}

const PUBLISHES = new Set(['publish', 'PUBLISH']);
const SUBSCRIPTIONS = new Set(['subscribe', 'SUBSCRIBE', 'pSubscribe', 'PSUBSCRIBE', 'unsubscribe', 'UNSUBSCRIBE', 'pUnsubscribe', 'PUNSUBSCRIBE']);

class TetherRedisAdapter extends RedisAdapter {
  readonly #namespace: Namespace;
  readonly #options: TetherAdapterOptions;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #connectedOnce: boolean;
  readonly #onSubscriberReady = (): void => {
    // The first 'ready' is the initial connection: nothing was missed before it.
    if (!this.#connectedOnce) {
      this.#connectedOnce = true;
      return;
    }
    for (const delay of this.#options.resyncAfterMs ?? [0, 1000, 3000]) {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        void this.resync();
      }, delay);
      timer.unref();
      this.#timers.add(timer);
    }
  };

  constructor(nsp: Namespace, options: TetherAdapterOptions) {
    const { pub, sub, keys, log } = options;
    super(nsp, catchingClient(pub, PUBLISHES, log, 'publisher'), catchingClient(sub, SUBSCRIPTIONS, log, 'subscriber'), {
      key: keys.adapter,
      requestsTimeout: options.requestsTimeoutMs ?? 1000,
    });
    this.#namespace = nsp;
    this.#options = options;
    this.#connectedOnce = sub.isReady;
    sub.on('ready', this.#onSubscriberReady);
  }

  /**
   * Without an ack: a retried event throws while Redis is down, so its sender publishes it once
   * Redis is back; other events are dropped. With an ack (socket counts): answers at once with no
   * replies while Redis is down, and makes sure the ack is called even when the adapter gives up
   * silently (it swallows a failed PUBSUB NUMSUB without calling it).
   */
  override serverSideEmit(packet: unknown[]): void {
    const last = packet[packet.length - 1];
    if (typeof last !== 'function') {
      if (this.#options.pub.isReady) return super.serverSideEmit(packet);
      if (this.#options.retriedEvents?.has(String(packet[0]))) throw new AdapterUnavailableError();
      return;
    }
    let answered = false;
    const ack: Ack = (err, replies) => {
      if (answered) return;
      answered = true;
      clearTimeout(guard);
      (last as Ack)(err, replies);
    };
    // Counting the nodes and waiting for their answers take up to requestsTimeout each.
    const guard = setTimeout(() => ack(new Error('no answer from the other nodes'), []), 2 * this.requestsTimeout + 100);
    if (!this.#options.pub.isReady) return ack(new AdapterUnavailableError(), []);
    super.serverSideEmit([...packet.slice(0, -1), ack]);
  }

  /**
   * How many nodes listen (PUBSUB NUMSUB), for requests that wait for every node's answer
   * (fetchSockets, acks). While Redis is down or slow: 1, this node, so such requests answer
   * with this node's part at once instead of failing or waiting for an answer that cannot come.
   */
  override async serverCount(): Promise<number> {
    if (!this.#options.pub.isReady) return 1;
    try {
      return await bounded(super.serverCount(), this.requestsTimeout);
    } catch {
      return 1;
    }
  }

  /**
   * Ends (or renews) this node's sockets of sessions that were ended elsewhere while this node's
   * subscriber was disconnected: a missed `tether:end` is found again in the Redis tombstones.
   * The message goes through the same local path as one received from another node.
   */
  async resync(): Promise<void> {
    const sessionIds = [...this.rooms.keys()].filter((room) => room.startsWith(SESSION_ROOM_PREFIX)).map((room) => room.slice(SESSION_ROOM_PREFIX.length));
    if (sessionIds.length === 0) return;
    let reasons: Array<string | null>;
    try {
      reasons = await this.#options.pub.mGet(sessionIds.map((sid) => this.#options.keys.tombstone(sid)));
    } catch (error) {
      return this.#options.log.warn({ err: errorSummary(error) }, 'could not re-check ended sessions after reconnecting');
    }
    sessionIds.forEach((sid, i) => {
      const reason = reasons[i];
      if (!reason) return;
      this.#namespace._onServerSideEmit(isEndReason(reason) ? ['tether:end', sid, reason] : ['tether:renew', sid, reason.startsWith('renewed:') ? reason.slice('renewed:'.length) : undefined]);
    });
  }

  override close(): Promise<void> | void {
    this.#options.sub.off('ready', this.#onSubscriberReady);
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    return super.close();
  }
}

/**
 * For `io.adapter(...)`: a RedisAdapter per namespace over the given clients.
 * @example io.adapter(createTetherAdapter({ pub: client, sub: await connectRedis(...), keys, log }));
 */
export function createTetherAdapter(options: TetherAdapterOptions): (nsp: Namespace) => RedisAdapter {
  // A function expression, not an arrow: Socket.IO calls it with `new`.
  return function tetherAdapter(nsp: Namespace) {
    return new TetherRedisAdapter(nsp, options);
  };
}
