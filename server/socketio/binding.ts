// The Socket.IO binding: the contract's handshake, rooms per session and user, pushes, and ending sockets.
import type { Server } from 'socket.io';
import type { EndReason, ExpiredDeadline } from '../../shared/reasons.js';
import type { AppData } from '../sessions/data.js';
import type { SessionLifecycle } from '../sessions/lifecycle.js';
import { silentLogger, type Logger } from '../sessions/logger.js';
import { countRefusals, noMetrics, type MetricsHooks } from '../sessions/metrics-hooks.js';
import { performance } from 'node:perf_hooks';
import { retryInBackground } from '../sessions/retry.js';
import { createAdapterCluster, createSingleNodeCluster, type Cluster } from './cluster.js';
import { createHandshake, type OriginCheck } from './handshake.js';
import { createHandshakeLimit, type HandshakeLimitOptions } from './handshake-limit.js';
import { createPushes } from './pushes.js';
import { localSocketCount, localSocketsOf, sessionRoom, type TetherServer, type TetherSocket } from './rooms.js';
import { createSocketRouter } from './router.js';
import { routeSessionEvents } from './session-events.js';

export interface TetherSocketIOOptions {
  /** The same secrets as the Express binding (the cookie is verified here without the store). */
  secrets: readonly string[];
  /** Default `sid` (`__Host-sid` when `secure`). */
  cookieName?: string;
  secure?: boolean;
  /** Exact origins, or a predicate; default: same origin (the Origin's host is the request's Host). */
  allowedOrigins?: Iterable<string> | OriginCheck;
  /** True when the adapter spans several nodes (server-side emits reach them). */
  clustered?: boolean;
  maxSocketsPerSession?: number;
  maxSocketsPerUser?: number;
  /** Per-socket event rate (token bucket); a socket that keeps flooding is disconnected. */
  eventsPerSecond?: number;
  eventBurst?: number;
  /** Handshakes per client IP (token bucket) before `rate_limited`; false turns it off. */
  handshakeLimit?: false | Omit<HandshakeLimitOptions, 'clock' | 'log'>;
  log?: Logger;
  /** Handshake outcomes and end-to-last-socket latency (server/ops/hooks.ts); none by default. */
  metrics?: Pick<MetricsHooks, 'handshake' | 'lastSocketGone'>;
}

const sameOrigin: OriginCheck = (origin, host) => {
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
};

const originCheck = (allowed: TetherSocketIOOptions['allowedOrigins']): OriginCheck => {
  if (allowed === undefined) return sameOrigin;
  if (typeof allowed === 'function') return allowed;
  const set = allowed instanceof Set ? (allowed as ReadonlySet<string>) : new Set(allowed);
  return (origin) => set.has(origin);
};

/**
 * Binds a Socket.IO server to the lifecycle: a socket exists only for a live signed-in session
 * (cookie, `auth.csrfToken`, Origin), joins its session's and user's rooms, and is ended with
 * `session:ended` the moment its session ends, on this node and (with `clustered`) every other.
 * The app's own events are registered with `on` (validated, rate-limited, acked).
 * @example const sockets = tetherSocketIO(io, lifecycle, { secrets: [SECRET] });
 *          sockets.on('chat', z.object({ text: z.string() }), async ({ text }, socket) => ({ ok: true }));
 */
export function tetherSocketIO<App extends object = AppData>(server: Server, lifecycle: SessionLifecycle<App>, options: TetherSocketIOOptions) {
  // The session events are typed by shared/events.ts; the app's own maps ride alongside them.
  const io = server as unknown as TetherServer;
  const log = options.log ?? silentLogger;
  const { clock } = lifecycle;
  const retry = { clock, log };
  const clustered = Boolean(options.clustered);
  const cookieName = options.cookieName ?? (options.secure ? '__Host-sid' : 'sid');
  const metrics = options.metrics ?? noMetrics;

  const endLocal = (sessionId: string, reason: EndReason, deadline?: ExpiredDeadline): void => {
    const started = performance.now();
    const room = sessionRoom(sessionId);
    // One broadcast: the packet and its frame are encoded once for all the session's tabs.
    // `local`: the other nodes are told by the cluster, and each ends its own sockets.
    io.local.to(room).emit('session:ended', { reason, ...(deadline ? { deadline } : {}) });
    // A namespace disconnect (not a transport close), so the client does not auto-reconnect.
    const sockets = localSocketsOf(io, room);
    for (const socket of sockets) socket.disconnect();
    if (sockets.length > 0) metrics.lastSocketGone(performance.now() - started);
  };
  const renewLocal = (sessionId: string): void => {
    for (const socket of localSocketsOf(io, sessionRoom(sessionId))) {
      socket.emit('session:renewed');
      socket.disconnect();
    }
  };
  const cluster: Cluster = clustered
    ? createAdapterCluster(io, { endLocal: (sid, reason, deadline) => lifecycle.noteEnded(sid, reason, deadline), renewLocal: (sid, to) => lifecycle.noteRenewed(sid, to) })
    : createSingleNodeCluster(io);
  const { listChanged, pushDeadlines, flush } = createPushes({ io, isEnded: lifecycle.isEnded, clustered });

  const unsubscribe = [
    lifecycle.on('ended', ({ sessionId, reason, deadline, origin }) => {
      endLocal(sessionId, reason, deadline);
      if (origin === 'here' && clustered) void retryInBackground('announce ended session', () => cluster.announceEnd(sessionId, reason, deadline), retry);
    }),
    lifecycle.on('renewed', ({ from, to, origin }) => {
      renewLocal(from);
      if (origin === 'here' && clustered) void retryInBackground('announce renewed session', () => cluster.announceRenew(from, to), retry);
    }),
    lifecycle.on('active', ({ sessionId, deadlines, fromSocketId }) => {
      if (lifecycle.isWatching(sessionId)) pushDeadlines(sessionId, deadlines, fromSocketId);
    }),
    lifecycle.on('listChanged', ({ userId }) => listChanged(userId)),
  ];

  if (options.handshakeLimit !== false) {
    const limit = options.handshakeLimit ?? { ratePerSecond: 20, burst: 100 };
    io.use(countRefusals(createHandshakeLimit({ clock, log, ...limit }).middleware, metrics));
  }
  io.use(
    createHandshake({
      allowedOrigins: originCheck(options.allowedOrigins),
      cookieName,
      secrets: options.secrets,
      endedReason: lifecycle.endedReason,
      clock,
      maxSocketsPerSession: options.maxSocketsPerSession ?? 50,
      maxSocketsPerUser: options.maxSocketsPerUser ?? 200,
      expire: (sid, d) => void lifecycle.end(sid, 'expired', clock.now() >= d.absoluteExpiresAt ? 'absolute' : 'idle'),
      touch: (sid, accept) => lifecycle.touch(sid, { accept: accept as (sess: unknown) => boolean }),
      // Remember the token the socket was admitted with, for a sign-out while the store is down.
      admit: (sid, userId, csrfToken, deadlines) => lifecycle.watch(sid, deadlines, { userId, csrfToken }),
      metrics,
    }),
  );

  const isFresh = async (sessionId: string): Promise<boolean> => {
    const record = await lifecycle.get(sessionId);
    return record !== null && lifecycle.isFresh(record);
  };
  const router = createSocketRouter({ clock, log, isEnded: lifecycle.isEnded, isFresh, ...(options.eventsPerSecond ? { ratePerSecond: options.eventsPerSecond } : {}), ...(options.eventBurst ? { burst: options.eventBurst } : {}) });
  routeSessionEvents(router, lifecycle);

  const onConnection = (socket: TetherSocket): void => {
    const { sessionId, userId, idleExpiresAt, absoluteExpiresAt } = socket.data;
    // Between the handshake's last await and now the session may have ended: check once more.
    const ended = lifecycle.endedReason(sessionId);
    if (ended) {
      if (ended === 'renewed') socket.emit('session:renewed');
      else socket.emit('session:ended', { reason: ended });
      socket.disconnect();
      if (localSocketCount(io, sessionRoom(sessionId)) === 0) lifecycle.unwatch(sessionId);
      return;
    }
    lifecycle.watch(sessionId, { idleExpiresAt, absoluteExpiresAt });
    listChanged(userId, socket.id);
    router.bind(socket);
    socket.on('disconnect', () => {
      listChanged(userId);
      if (localSocketCount(io, sessionRoom(sessionId)) === 0) lifecycle.unwatch(sessionId);
    });
  };
  io.on('connection', onConnection);

  return {
    /**
     * Registers an app event: payload parsed with `schema`, rate-limited, refused once the session
     * ended; `{ fresh: true }` refuses it with `reauthentication_required` unless the session is fresh.
     */
    on: router.on,
    counters: router.counters,
    /** Open sockets per session ID of one user, on every node that answers within a second. */
    countSockets: (userId: string): Promise<Map<string, number>> => cluster.countSockets(userId),
    stats: () => ({ sockets: io.of('/').sockets.size, ...lifecycle.stats() }),
    /** Stops following the lifecycle; the pushes still pending go out now. */
    close(): void {
      for (const off of unsubscribe) off();
      flush();
    },
  };
}

export type TetherSocketIO = ReturnType<typeof tetherSocketIO>;
