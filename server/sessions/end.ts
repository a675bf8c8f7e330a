// Ending a session: this node's sockets first with no I/O in between, then the store, then the cluster.
import { performance } from 'node:perf_hooks';
import type { EndReason } from '../../shared/reasons.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { noMetrics, type MetricsHooks } from '../ops/hooks.js';
import type { Cluster } from './cluster.js';
import type { DeadlineTimers } from './deadlines.js';
import { localSocketsOf, sessionRoom, userRoom, type TetherServer } from './io.js';
import type { SessionRegistry } from './registry.js';
import { retryInBackground, type Backoff } from './retry.js';
import type { SessionStore } from './store.js';

export interface SessionEnderOptions {
  io: TetherServer;
  store: SessionStore;
  registry: SessionRegistry;
  timers: DeadlineTimers;
  clock: Clock;
  log: Logger;
  backoff?: Backoff;
  metrics?: Pick<MetricsHooks, 'sessionEnded' | 'lastSocketGone'>;
}

export interface SessionEnder {
  /**
   * Ends a session for a reason: its sockets on this node get `session:ended` and are
   * disconnected at once; the store entry and registry entry go next (retried while the store is
   * down); then the other nodes are told. Resolves when the store step succeeded or was left to retry.
   */
  end(sessionId: string, reason: EndReason): Promise<void>;
  /** This node's sockets only, synchronously. Used by the cluster handler and by `end`. */
  endLocal(sessionId: string, reason: EndReason): void;
  /** The session continues under a new ID: its sockets here get `session:renewed` and reconnect. */
  renewLocal(sessionId: string): void;
  /** Announces a renewal to the other nodes. */
  renew(sessionId: string): Promise<void>;
  setCluster(cluster: Cluster): void;
}

/**
 * @example const ender = createSessionEnder({ io, store, registry, timers, clock, log });
 *          await ender.end(sessionId, 'logout');
 */
export function createSessionEnder({ io, store, registry, timers, clock, log, backoff, metrics = noMetrics }: SessionEnderOptions): SessionEnder {
  let cluster: Cluster | undefined;
  const retry = { clock, log, ...(backoff ? { backoff } : {}) };

  const endLocal = (sessionId: string, reason: EndReason): void => {
    const started = performance.now();
    // Tombstone first: a reconnect or an event already in flight now finds the session ended.
    if (!store.tombstones.get(sessionId)) store.tombstones.add(sessionId, reason);
    timers.unwatch(sessionId);
    const room = sessionRoom(sessionId);
    // One broadcast: the packet and its WebSocket frame are encoded once for all the session's tabs
    // instead of once per tab (bench/README.md). `local`: the other nodes are told by `end`, and
    // each ends its own sockets.
    io.local.to(room).emit('session:ended', { reason });
    // A namespace disconnect (not a transport close), so the client does not auto-reconnect.
    const sockets = localSocketsOf(io, room);
    for (const socket of sockets) socket.disconnect();
    if (sockets.length > 0) metrics.lastSocketGone(performance.now() - started);
  };

  const renewLocal = (sessionId: string): void => {
    if (!store.tombstones.get(sessionId)) store.tombstones.add(sessionId, 'renewed');
    timers.unwatch(sessionId);
    for (const socket of localSocketsOf(io, sessionRoom(sessionId))) {
      socket.emit('session:renewed');
      socket.disconnect();
    }
  };

  return {
    async end(sessionId, reason) {
      endLocal(sessionId, reason);
      metrics.sessionEnded(reason);
      // Each tab's `session:ended` frame went out at once; its disconnect packet waits for that
      // write's callback, which Node runs on the next tick, once the current microtasks are done.
      // Yielding a tick here lets those disconnects go out before the log, store, registry and
      // cluster steps run (a logout's last tab heard its disconnect ~0.3 ms sooner; bench/README.md).
      await new Promise<void>((resolve) => process.nextTick(resolve));
      log.info({ reason }, 'session ended');
      await Promise.all([
        retryInBackground('destroy ended session', () => store.destroy(sessionId, reason), retry),
        retryInBackground('unregister ended session', async () => {
          const entry = await registry.bySession(sessionId);
          if (!entry) return;
          await registry.remove(entry.handle);
          io.to(userRoom(entry.userId)).emit('sessions:changed');
        }, retry),
        cluster ? retryInBackground('announce ended session', () => cluster!.announceEnd(sessionId, reason), retry) : undefined,
      ]);
    },
    endLocal,
    renewLocal,
    async renew(sessionId) {
      if (cluster) await retryInBackground('announce renewed session', () => cluster!.announceRenew(sessionId), retry);
    },
    setCluster(c) {
      cluster = c;
    },
  };
}
