// Socket handshakes per client IP: a token bucket per address on each node, and a count shared by all nodes with Redis.
import type { IncomingMessage } from 'node:http';
import type { ExtendedError } from 'socket.io';
import { ipKeyGenerator, type Options, type Store } from 'express-rate-limit';
import type { Clock } from '../sessions/clock.js';
import type { Logger } from '../sessions/logger.js';
import { refusal } from './handshake.js';
import type { TetherSocket } from './rooms.js';
import { createKeyedBuckets } from './token-bucket.js';

export interface HandshakeLimitOptions {
  clock: Clock;
  log: Logger;
  /** Handshakes per second per IP, sustained. */
  ratePerSecond: number;
  /** Handshakes per IP at once (a browser reconnecting all its tabs after a restart). */
  burst: number;
  /** The client address of the upgrade request; defaults to the TCP peer. Behind a proxy pass Express's `req.ip` logic. */
  clientIp?: (req: IncomingMessage) => string | undefined;
  /** Addresses remembered at most (memory stays bounded under a spread-out flood). */
  maxAddresses?: number;
  /**
   * A store every node shares (RedisStore): handshakes per address are then also counted across
   * the cluster, `burst` per `burst / ratePerSecond` seconds. A store that cannot be reached lets
   * the handshake on to the session check (which answers `unavailable` while Redis is down); the
   * node's own bucket still applies.
   */
  sharedStore?: Store;
}

export interface HandshakeLimit {
  /** `io.use` middleware; install it before the session handshake so a flood never reaches the store. */
  middleware(socket: TetherSocket, next: (err?: ExtendedError) => void): void;
  readonly counters: { refused: number };
  /** Addresses with a partly used bucket now. */
  readonly size: number;
}

/**
 * Runs before the session handshake: a refused handshake costs no store read. `rate_limited` is
 * one of the refusals a client retries with backoff.
 * @example const limit = createHandshakeLimit({ clock, log, ratePerSecond: 20, burst: 100 }); io.use(limit.middleware);
 */
export function createHandshakeLimit({ clock, log, ratePerSecond, burst, clientIp, maxAddresses = 10_000, sharedStore }: HandshakeLimitOptions): HandshakeLimit {
  if (!(ratePerSecond > 0) || !(burst >= 1)) throw new Error('createHandshakeLimit: ratePerSecond must be > 0 and burst >= 1');
  const buckets = createKeyedBuckets({ ratePerSecond, burst, now: () => clock.now(), maxKeys: maxAddresses });
  const counters = { refused: 0 };
  // A store's `init` reads only the window of express-rate-limit's options (MemoryStore, RedisStore).
  sharedStore?.init?.({ windowMs: Math.ceil((burst / ratePerSecond) * 1000) } as Options);
  let lastWarnedAt = -Infinity;
  const refuse = (next: (err?: ExtendedError) => void): void => {
    counters.refused += 1;
    // One line per minute at most: a flood must not become a log flood.
    if (clock.now() - lastWarnedAt > 60_000) {
      lastWarnedAt = clock.now();
      log.warn({ refused: counters.refused }, 'socket handshakes refused for rate');
    }
    next(refusal('rate_limited'));
  };
  /** Within the cluster-wide count; true as well when the shared store cannot answer (see `sharedStore`). */
  const withinShared = async (key: string): Promise<boolean> => {
    if (!sharedStore) return true;
    try {
      return (await sharedStore.increment(key)).totalHits <= burst;
    } catch {
      return true;
    }
  };
  return {
    middleware(socket, next) {
      const address = clientIp?.(socket.request) ?? socket.handshake.address;
      // IPv6 clients are keyed by their /56, as express-rate-limit does: one host has many addresses.
      const key = address ? ipKeyGenerator(address) : 'unknown';
      // The node's bucket first: a flood on one node costs no Redis call past its burst.
      if (!buckets.take(key)) return refuse(next);
      if (!sharedStore) return next();
      void withinShared(key).then((ok) => (ok ? next() : refuse(next)));
    },
    counters,
    get size() {
      return buckets.size;
    },
  };
}
