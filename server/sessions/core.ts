// The session core: one object that routes and socket handlers call; it knows no routes or views.
import type { Request, Response } from 'express';
import type { SessionListItem, User } from '../../shared/api.js';
import type { Deadlines } from '../../shared/events.js';
import type { EndReason } from '../../shared/reasons.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { MetricsHooks } from '../ops/hooks.js';
import { createAdapterCluster, createSingleNodeCluster, type Cluster } from './cluster.js';
import { readSessionId } from './cookie.js';
import { afterActivity, isPast, type Timeouts } from './deadline-math.js';
import { createDeadlineTimers } from './deadlines.js';
import { createPushes } from './pushes.js';
import { createSessionEnder } from './end.js';
import { createHandshake } from './handshake.js';
import { createHttpSession, hasSession, initSession, newCsrfToken, pinCookieExpiry, regenerate, saveSession } from './http.js';
import { localSocketCount, sessionRoom, type TetherServer, type TetherSocket } from './io.js';
import { newHandle, type SessionRegistry } from './registry.js';
import type { Backoff } from './retry.js';
import type { SessionStore } from './store.js';
import type { SessionData } from './data.js';

export interface SessionCoreOptions extends Timeouts {
  io: TetherServer;
  store: SessionStore;
  registry: SessionRegistry;
  clock: Clock;
  log: Logger;
  cookieName: string;
  secure: boolean;
  secrets: readonly string[];
  allowedOrigins: ReadonlySet<string>;
  maxSocketsPerSession: number;
  maxSocketsPerUser: number;
  /** True when the Socket.IO adapter spans several nodes (server-side emits reach them). */
  clustered?: boolean;
  backoff?: Backoff;
  metrics?: MetricsHooks;
}

/** What this node knows of a session with open sockets here, enough to sign out with the store down. */
interface Admitted {
  userId: string;
  csrfToken: string;
}

/** regenerate() drops all session data: these fields survive a renewal (the cookie is new). */
function keptAcrossRenewal(sess: SessionData): Omit<SessionData, 'cookie'> {
  const { csrfToken, createdAt, lastSeenAt, idleExpiresAt, absoluteExpiresAt, userAgent, ip, userId, username, handle, theme } = sess;
  return { csrfToken, createdAt, lastSeenAt, idleExpiresAt, absoluteExpiresAt, userAgent, ip, userId, username, handle, ...(theme ? { theme } : {}) };
}

/**
 * @example const core = createSessionCore({ io, store, registry, clock, log, ...config });
 *          app.use('/api', core.http.middleware, core.activity);
 */
export function createSessionCore(options: SessionCoreOptions) {
  const { io, store, registry, clock, log } = options;
  const timeouts: Timeouts = { idleTimeoutMs: options.idleTimeoutMs, absoluteTimeoutMs: options.absoluteTimeoutMs };
  const admitted = new Map<string, Admitted>();

  const readDeadlines = async (sessionId: string): Promise<Deadlines | null> => {
    const sess = await store.get(sessionId);
    return sess ? { idleExpiresAt: sess.idleExpiresAt, absoluteExpiresAt: sess.absoluteExpiresAt } : null;
  };
  const timers = createDeadlineTimers({ clock, log, read: readDeadlines, expire: (sid) => void ender.end(sid, 'expired') });
  const ender = createSessionEnder({ io, store, registry, timers, clock, log, ...(options.backoff ? { backoff: options.backoff } : {}), ...(options.metrics ? { metrics: options.metrics } : {}) });
  const cluster: Cluster = options.clustered
    ? createAdapterCluster(io, { endLocal: ender.endLocal, renewLocal: ender.renewLocal })
    : createSingleNodeCluster(io);
  ender.setCluster(cluster);

  const { listChanged, pushDeadlines } = createPushes({ io, store, timers, clustered: Boolean(options.clustered) });

  /**
   * Activity over a socket: moves the idle deadline in the store, never the absolute one. The
   * session's other tabs hear the new deadlines; `fromSocketId`, the one that asked, gets them in its ack.
   * One read and one write: the new deadlines are computed from the entry `store.update` reads,
   * which also refuses an ended or vanished entry. `accept` can refuse the entry as read (the
   * handshake judges it there, so admitting a socket costs no read of its own).
   */
  const touch = async (sessionId: string, fromSocketId?: string, accept?: (sess: SessionData) => boolean): Promise<Deadlines | null> => {
    const now = clock.now();
    let deadlines: Deadlines | undefined;
    const saved = await store.update(sessionId, (sess) => {
      deadlines = undefined;
      if (accept && !accept(sess)) return null;
      if (!sess.userId || isPast(sess, now)) return null;
      deadlines = afterActivity(sess, now, timeouts);
      return { ...deadlines, lastSeenAt: now };
    });
    if (!saved || !deadlines) return null;
    pushDeadlines(sessionId, deadlines, fromSocketId);
    return deadlines;
  };

  const http = createHttpSession({ cookieName: options.cookieName, secure: options.secure, secrets: options.secrets, store, clock, ...timeouts });
  const activity = http.activity(
    (sid) => ender.end(sid, 'expired'),
    (sid, sess) => {
      if (timers.isWatching(sid)) pushDeadlines(sid, { idleExpiresAt: sess.idleExpiresAt, absoluteExpiresAt: sess.absoluteExpiresAt });
    },
  );

  const handshake = createHandshake({
    allowedOrigins: options.allowedOrigins,
    cookieName: options.cookieName,
    secrets: options.secrets,
    store,
    clock,
    maxSocketsPerSession: options.maxSocketsPerSession,
    maxSocketsPerUser: options.maxSocketsPerUser,
    expire: (sid) => void ender.end(sid, 'expired'),
    touch: (sid, accept) => touch(sid, undefined, accept),
    // Remember the token the socket was admitted with, for a sign-out while the store is down.
    admit: (sid, userId, csrfToken) => admitted.set(sid, { userId, csrfToken }),
    ...(options.metrics ? { metrics: options.metrics } : {}),
  });

  const onConnection = (socket: TetherSocket): void => {
    const { sessionId, userId, idleExpiresAt, absoluteExpiresAt } = socket.data;
    // Between the handshake's last await and now the session may have ended: check once more.
    const ended = store.tombstones.get(sessionId);
    if (ended) {
      if (ended !== 'renewed' && ended !== 'signed_in') socket.emit('session:ended', { reason: ended });
      else socket.emit('session:renewed');
      socket.disconnect();
      if (localSocketCount(io, sessionRoom(sessionId)) === 0) admitted.delete(sessionId);
      return;
    }
    // The handshake already joined the session's and the user's rooms (in the tick it checked the cap).
    timers.watch(sessionId, { idleExpiresAt, absoluteExpiresAt });
    listChanged(userId, socket.id);
    socket.on('disconnect', () => {
      listChanged(userId);
      if (localSocketCount(io, sessionRoom(sessionId)) === 0) {
        timers.unwatch(sessionId);
        admitted.delete(sessionId);
      }
    });
  };

  io.use(handshake);
  io.on('connection', onConnection);

  return {
    http,
    activity,
    timers,
    cluster,
    touch,
    /**
     * Writes session data from a socket (a live view): saved to the store at once, so HTTP and the
     * other tabs of the session see it. Returns the session as saved, or null when it has ended.
     */
    async writeSession(sessionId: string, patch: Pick<SessionData, 'theme'>): Promise<SessionData | null> {
      if (store.tombstones.get(sessionId)) return null;
      return store.update(sessionId, patch);
    },
    /** Reads the session's data for a socket (a live view's mount); null when it has ended. */
    async readSession(sessionId: string): Promise<SessionData | null> {
      if (store.tombstones.get(sessionId)) return null;
      return store.get(sessionId);
    },
    /** Why this node knows a session ID to be dead ('renewed' when it continues under a new ID). */
    endedReason: (sessionId: string | undefined) => (sessionId ? store.tombstones.get(sessionId) : undefined),
    /** Whether a session has ended (on this node's knowledge); its events are refused. */
    isEnded: (sessionId: string): boolean => Boolean(store.tombstones.get(sessionId)),
    /** Starts an anonymous session (a CSRF token for the sign-in form) if there is none. */
    ensureSession(req: Request): void {
      if (!hasSession(req)) initSession(req, { clock, ...timeouts });
    },
    /** Signs in under a new session ID: the pre-login cookie no longer authenticates. */
    async signIn(req: Request, user: User): Promise<void> {
      if (hasSession(req) && req.session.userId) await ender.end(req.sessionID, 'logout');
      await regenerate(req);
      initSession(req, { clock, ...timeouts });
      const handle = newHandle();
      Object.assign(req.session, { userId: user.id, username: user.username, handle });
      await saveSession(req);
      await registry.add({ handle, sessionId: req.sessionID, userId: user.id, createdAt: req.session.createdAt ?? clock.now(), userAgent: req.session.userAgent ?? '', ip: req.session.ip ?? '' });
      listChanged(user.id);
    },
    /**
     * After a password change: every other session of the user ends with `password_changed`; this
     * one continues under a new ID keeping createdAt, the absolute deadline and its handle. Its
     * sockets get `session:renewed` once the response (carrying the new cookie) has been sent.
     */
    async renewAfterPasswordChange(req: Request, res: Response): Promise<string> {
      if (!hasSession(req) || !req.session.userId) throw new Error('renew needs a signed-in session');
      const oldId = req.sessionID;
      const kept = keptAcrossRenewal(req.session);
      const userId = req.session.userId;
      for (const entry of await registry.list(userId)) {
        if (entry.sessionId !== oldId) await ender.end(entry.sessionId, 'password_changed');
      }
      // Marked as renewed (not ended) before regenerate() destroys it, so whoever still holds the
      // old cookie is told to wait for the new one rather than handed a fresh anonymous session.
      store.tombstones.add(oldId, 'renewed');
      await regenerate(req);
      const csrfToken = newCsrfToken();
      Object.assign(req.session, kept, { csrfToken });
      pinCookieExpiry(req.session);
      await saveSession(req);
      if (kept.handle) await registry.rename(kept.handle, req.sessionID);
      res.on('finish', () => {
        ender.renewLocal(oldId);
        void ender.renew(oldId);
      });
      return csrfToken;
    },
    /** Ends the request's own session and clears its cookie. */
    async endCurrent(req: Request, res: Response, reason: EndReason): Promise<void> {
      const sessionId = req.sessionID ?? readSessionId(req.headers.cookie, options.cookieName, options.secrets);
      if (sessionId) await ender.end(sessionId, reason);
      delete (req as { session?: unknown }).session;
      res.clearCookie(options.cookieName, { path: '/', httpOnly: true, sameSite: 'lax', secure: options.secure });
    },
    end: (sessionId: string, reason: EndReason) => ender.end(sessionId, reason),
    /** Ends every session of a user (sign out everywhere). */
    async endAllOfUser(userId: string, reason: EndReason): Promise<void> {
      await Promise.all((await registry.list(userId)).map((entry) => ender.end(entry.sessionId, reason)));
    },
    /** Ends a user's session by its public handle; false when it is unknown or another user's. */
    async revoke(userId: string, handle: string): Promise<{ sessionId: string } | null> {
      const entry = await registry.byHandle(handle);
      if (!entry || entry.userId !== userId) return null;
      await ender.end(entry.sessionId, 'revoked');
      return { sessionId: entry.sessionId };
    },
    /** The user's live sessions, pruning entries whose store entry is gone or past its deadline. */
    async list(userId: string, currentSessionId: string): Promise<SessionListItem[]> {
      const [entries, counts] = await Promise.all([registry.list(userId), cluster.countSockets(userId)]);
      const now = clock.now();
      const items = await Promise.all(
        entries.map(async (entry): Promise<SessionListItem | null> => {
          const sess = await store.get(entry.sessionId);
          if (!sess || isPast(sess, now)) {
            if (sess) void ender.end(entry.sessionId, 'expired');
            else await registry.remove(entry.handle);
            return null;
          }
          return {
            id: entry.handle,
            current: entry.sessionId === currentSessionId,
            createdAt: entry.createdAt,
            lastSeenAt: sess.lastSeenAt,
            userAgent: entry.userAgent,
            ip: entry.ip,
            sockets: counts.get(entry.sessionId) ?? 0,
          };
        }),
      );
      return items.filter((i): i is SessionListItem => i !== null).sort((a, b) => a.createdAt - b.createdAt);
    },
    /** What this node knows of a session with sockets here, for signing out with the store down. */
    admittedSession: (sessionId: string): Admitted | undefined => admitted.get(sessionId),
    readSessionId: (req: Request): string | null => readSessionId(req.headers.cookie, options.cookieName, options.secrets),
    stats: () => ({ sockets: io.of('/').sockets.size, sessionsWithSockets: timers.size, tombstones: store.tombstones.size }),
    close(): void {
      timers.close();
    },
  };
}

export type SessionCore = ReturnType<typeof createSessionCore>;
