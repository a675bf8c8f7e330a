// After a subscriber reconnects: the Redis tombstones of this node's sessions say what it missed.
import type { Namespace } from 'socket.io';
import { END_REASONS, type EndReason } from '../../shared/reasons.js';
import type { Logger } from '../sessions/logger.js';
import { errorSummary } from '../sessions/retry.js';
import { sessionRoom } from '../socketio/rooms.js';
import type { RedisKeys } from './keys.js';

export interface TombstoneResyncOptions {
  namespace: Namespace;
  /** The adapter's rooms: a session room for every session this node has a socket of. */
  rooms(): Iterable<string>;
  /** The values of these keys, in their order (null where there is none). */
  read(keys: string[]): Promise<Array<string | null>>;
  keys: RedisKeys;
  log: Logger;
  /** Re-checks after a reconnect at these delays (ms): an end may be in flight while it happens. */
  delaysMs?: readonly number[];
}

export interface TombstoneResync {
  /** Re-checks at each delay from now (on a subscriber's reconnect). */
  schedule(): void;
  /** Re-checks now. */
  run(): Promise<void>;
  /** Cancels the scheduled re-checks. */
  close(): void;
}

const isEndReason = (value: string): value is EndReason => (END_REASONS as readonly string[]).includes(value);
const SESSION_ROOM_PREFIX = sessionRoom('');

/**
 * Ends (or renews) this node's sockets of sessions that were ended elsewhere while this node's
 * subscriber was disconnected: a missed `tether:end` is found again in the tombstone, the
 * cross-node truth. The message goes through the same local path as one received from another node.
 * @example const resync = tombstoneResync({ namespace, rooms: () => adapter.rooms.keys(), read: (k) => pub.mGet(k), keys, log }); sub.on('ready', resync.schedule);
 */
export function tombstoneResync({ namespace, rooms, read, keys, log, delaysMs = [0, 1000, 3000] }: TombstoneResyncOptions): TombstoneResync {
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const run = async (): Promise<void> => {
    const sessionIds = [...rooms()].filter((room) => room.startsWith(SESSION_ROOM_PREFIX)).map((room) => room.slice(SESSION_ROOM_PREFIX.length));
    if (sessionIds.length === 0) return;
    let reasons: Array<string | null>;
    try {
      reasons = await read(sessionIds.map((sid) => keys.tombstone(sid)));
    } catch (error) {
      return log.warn({ err: errorSummary(error) }, 'could not re-check ended sessions after reconnecting');
    }
    sessionIds.forEach((sid, i) => {
      const reason = reasons[i];
      if (!reason) return;
      namespace._onServerSideEmit(isEndReason(reason) ? ['tether:end', sid, reason] : ['tether:renew', sid, reason.startsWith('renewed:') ? reason.slice('renewed:'.length) : undefined]);
    });
  };
  return {
    run,
    schedule() {
      for (const delay of delaysMs) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          void run();
        }, delay);
        timer.unref();
        timers.add(timer);
      }
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
