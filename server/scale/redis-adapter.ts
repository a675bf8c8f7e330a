// The Socket.IO adapter across nodes: @socket.io/redis-adapter (pub/sub), hardened for Redis outages.
//
// Why the pub/sub adapter and not @socket.io/redis-streams-adapter:
// - What crosses nodes here is small and idempotent: "end session X", "renew X", "count sockets of
//   user U". None of it needs replay, and the core never waits for it (this node's sockets end first).
// - When Redis drops, both adapters lose the same thing: nothing can be published until it returns.
//   The streams adapter would additionally replay to a node whose own connection blipped what was
//   XADDed meanwhile (and offers connection-state recovery); the pub/sub adapter drops it. We cover
//   that gap without it: the core retries its announcements until they are published, and a node
//   whose subscriber reconnects re-checks its sessions' Redis tombstones (tombstone-resync.ts), which is the
//   cross-node truth anyway. A replayed stream could not do better: a message is only as good as the
//   tombstone behind it.
// - The pub/sub adapter keeps nothing in Redis (no stream to trim), answers `serverSideEmit` acks
//   within `requestsTimeout`, and is installed; the streams one is not a dependency of this project.
import type { Namespace } from 'socket.io';
import { RedisAdapter } from '@socket.io/redis-adapter';
import type { Logger } from '../sessions/logger.js';
import type { RedisKeys } from './keys.js';
import { bounded, type RedisClient } from './redis-client.js';
import { catchingClient } from './catching-client.js';
import { tombstoneResync, type TombstoneResync } from './tombstone-resync.js';

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

const PUBLISHES = new Set(['publish', 'PUBLISH']);
const SUBSCRIPTIONS = new Set(['subscribe', 'SUBSCRIBE', 'pSubscribe', 'PSUBSCRIBE', 'unsubscribe', 'UNSUBSCRIBE', 'pUnsubscribe', 'PUNSUBSCRIBE']);
const FAILED = 'redis adapter command failed';

class TetherRedisAdapter extends RedisAdapter {
  readonly #options: TetherAdapterOptions;
  readonly #resync: TombstoneResync;
  #connectedOnce: boolean;
  readonly #onSubscriberReady = (): void => {
    // The first 'ready' is the initial connection: nothing was missed before it.
    if (this.#connectedOnce) return this.#resync.schedule();
    this.#connectedOnce = true;
  };

  constructor(nsp: Namespace, options: TetherAdapterOptions) {
    const { pub, sub, keys, log } = options;
    super(nsp, catchingClient(pub, PUBLISHES, log, FAILED, { role: 'publisher' }), catchingClient(sub, SUBSCRIPTIONS, log, FAILED, { role: 'subscriber' }), {
      key: keys.adapter,
      requestsTimeout: options.requestsTimeoutMs ?? 1000,
    });
    this.#options = options;
    this.#resync = tombstoneResync({ namespace: nsp, rooms: () => this.rooms.keys(), read: (tombstones) => pub.mGet(tombstones), keys, log, delaysMs: options.resyncAfterMs });
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

  /** Re-checks the tombstones of this node's sessions now (see tombstone-resync.ts). */
  resync(): Promise<void> {
    return this.#resync.run();
  }

  override close(): Promise<void> | void {
    this.#options.sub.off('ready', this.#onSubscriberReady);
    this.#resync.close();
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
