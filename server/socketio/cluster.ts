// How this node tells the others that a session ended or renewed, and counts sockets everywhere.
import type { EndReason, ExpiredDeadline } from '../../shared/reasons.js';
import { localSocketsOf, userRoom, type TetherServer } from './rooms.js';

export interface Cluster {
  /** Other nodes end their own sockets of the session; this node has already ended its own. */
  announceEnd(sessionId: string, reason: EndReason, deadline?: ExpiredDeadline): Promise<void>;
  announceRenew(sessionId: string, to: string): Promise<void>;
  /** Open sockets per session ID of one user, on every node that answers in time. */
  countSockets(userId: string): Promise<Map<string, number>>;
}

export interface ClusterHandlers {
  endLocal(sessionId: string, reason: EndReason, deadline?: ExpiredDeadline): void;
  renewLocal(sessionId: string, to?: string): void;
}

function countLocal(io: TetherServer, userId: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const socket of localSocketsOf(io, userRoom(userId))) {
    counts[socket.data.sessionId] = (counts[socket.data.sessionId] ?? 0) + 1;
  }
  return counts;
}

function merge(into: Map<string, number>, counts: Record<string, number>): void {
  for (const [sid, n] of Object.entries(counts)) {
    if (typeof n === 'number' && Number.isFinite(n)) into.set(sid, (into.get(sid) ?? 0) + n);
  }
}

/** One node: nothing to tell, and every socket is local. */
export function createSingleNodeCluster(io: TetherServer): Cluster {
  return {
    async announceEnd() {},
    async announceRenew() {},
    async countSockets(userId) {
      const counts = new Map<string, number>();
      merge(counts, countLocal(io, userId));
      return counts;
    },
  };
}

/**
 * Several nodes over an adapter that supports server-side emits (the Redis adapter): messages go
 * to the other nodes only, each of which acts on its own sockets.
 * @example const cluster = createAdapterCluster(io, handlers);
 */
export function createAdapterCluster(io: TetherServer, handlers: ClusterHandlers): Cluster {
  io.on('tether:end', (sessionId, reason, deadline) => handlers.endLocal(sessionId, reason, deadline));
  io.on('tether:renew', (sessionId, to) => handlers.renewLocal(sessionId, to));
  io.on('tether:count', (userId, ack) => ack(countLocal(io, userId)));
  return {
    async announceEnd(sessionId, reason, deadline) {
      io.serverSideEmit('tether:end', sessionId, reason, deadline);
    },
    async announceRenew(sessionId, to) {
      io.serverSideEmit('tether:renew', sessionId, to);
    },
    countSockets(userId) {
      const counts = new Map<string, number>();
      merge(counts, countLocal(io, userId));
      return new Promise((resolve) => {
        // A node that does not answer within the adapter's requestsTimeout (1 s) is left out of
        // the count rather than failing it: the adapter passes the replies it got with the error.
        io.serverSideEmit('tether:count', userId, (_err: Error | null, replies: Record<string, number>[] = []) => {
          for (const reply of replies) merge(counts, reply);
          resolve(counts);
        });
      });
    },
  };
}
