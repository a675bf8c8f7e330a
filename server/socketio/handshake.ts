// The socket handshake: Origin, then a live signed-in session, then the CSRF token, each refusal a code.
import type { ExtendedError } from 'socket.io';
import { handshakeAuthSchema, type Deadlines } from '../../shared/events.js';
import type { HandshakeRefusal } from '../../shared/reasons.js';
import type { Clock } from '../sessions/clock.js';
import { noMetrics, type MetricsHooks } from '../sessions/metrics-hooks.js';
import { readSessionId, tokensEqual } from '../sessions/cookie.js';
import type { SessionRecord } from '../sessions/data.js';
import { isPast } from '../sessions/deadline-math.js';
import type { TombstoneReason } from '../sessions/tombstones.js';
import { localSocketCount, sessionRoom, userRoom, type TetherSocket } from './rooms.js';

/** Which `Origin` headers may open a socket: a set of exact origins, or a predicate. */
export type OriginCheck = (origin: string, host: string | undefined) => boolean;

export interface HandshakeOptions {
  allowedOrigins: OriginCheck;
  cookieName: string;
  secrets: readonly string[];
  /** Why this node knows an ID to be dead, without I/O. */
  endedReason(sessionId: string): TombstoneReason | undefined;
  clock: Clock;
  maxSocketsPerSession: number;
  maxSocketsPerUser: number;
  /** A session found past its deadline is ended with `expired` (so its other sockets end too). */
  expire(sessionId: string, deadlines: Deadlines): void;
  /**
   * The handshake is activity: moves the idle deadline in the store; null if the entry is gone.
   */
  touch(sessionId: string, accept: (sess: SessionRecord) => boolean): Promise<Deadlines | null>;
  /** Called for each admitted socket with the token it presented and the session's deadlines. */
  admit(sessionId: string, userId: string, csrfToken: string, deadlines: Deadlines): void;
  /** Counts each handshake's outcome. */
  metrics?: Pick<MetricsHooks, 'handshake'>;
}

/** A refusal as Socket.IO carries it to the client's `connect_error`: message and data.code. */
export function refusal(code: HandshakeRefusal): ExtendedError {
  const error: ExtendedError = new Error(code);
  error.data = { code };
  return error;
}

type Outcome = { ok: true; sessionId: string; userId: string; csrfToken: string; deadlines: Deadlines } | { ok: false; code: HandshakeRefusal };

/**
 * Socket.IO middleware (`io.use`). The session is read from the store here rather than through
 * `io.engine.use(sessionMiddleware)`: that runs once per engine connection, so a later namespace
 * connect on the same connection would see a stale session, and express-session would re-save
 * the whole session after the handshake, which can revive a session ended meanwhile.
 * @example io.use(createHandshake({ allowedOrigins, cookieName, secrets, endedReason, clock, ... }));
 */
export function createHandshake(options: HandshakeOptions): (socket: TetherSocket, next: (err?: ExtendedError) => void) => void {
  const { clock, metrics = noMetrics } = options;
  const overCap = (socket: TetherSocket, sessionId: string, userId: string): boolean => {
    const io = socket.nsp.server;
    return localSocketCount(io, sessionRoom(sessionId)) >= options.maxSocketsPerSession || localSocketCount(io, userRoom(userId)) >= options.maxSocketsPerUser;
  };

  const check = async (socket: TetherSocket): Promise<Outcome> => {
    const origin = socket.handshake.headers.origin;
    // No Origin header at all is allowed: browsers always send one, so it is not a cross-site page.
    if (origin !== undefined && !options.allowedOrigins(origin, socket.handshake.headers.host)) return { ok: false, code: 'origin_not_allowed' };

    const sessionId = readSessionId(socket.handshake.headers.cookie, options.cookieName, options.secrets);
    if (!sessionId) return { ok: false, code: 'unauthenticated' };
    const ended = options.endedReason(sessionId);
    if (ended) return { ok: false, code: ended === 'expired' ? 'session_expired' : 'unauthenticated' };

    // The session is judged on the entry the touch reads (one read and one write per handshake);
    // a refused one is not written. The store may call the judge again (a compare-and-set retry).
    const token = handshakeAuthSchema.safeParse(socket.handshake.auth).data?.csrfToken;
    let refused: HandshakeRefusal | undefined;
    let admitted: SessionRecord | undefined;
    let expiredAt: Deadlines | undefined;
    const judge = (sess: SessionRecord): boolean => {
      admitted = undefined;
      if (!sess.userId) refused = 'unauthenticated';
      else if (isPast(sess, clock.now())) {
        refused = 'session_expired';
        expiredAt = { idleExpiresAt: sess.idleExpiresAt, absoluteExpiresAt: sess.absoluteExpiresAt };
      }
      else if (!tokensEqual(sess.csrfToken, token)) refused = 'csrf_invalid';
      else if (overCap(socket, sessionId, sess.userId)) refused = 'too_many_sockets';
      else refused = undefined;
      if (refused) return false;
      admitted = sess;
      return true;
    };
    let deadlines: Deadlines | null;
    try {
      deadlines = await options.touch(sessionId, judge);
    } catch {
      return { ok: false, code: 'unavailable' };
    }
    if (refused === 'session_expired' && expiredAt) options.expire(sessionId, expiredAt);
    if (refused) return { ok: false, code: refused };
    if (!deadlines || !admitted?.userId) return { ok: false, code: options.endedReason(sessionId) === 'expired' ? 'session_expired' : 'unauthenticated' };
    return { ok: true, sessionId, userId: admitted.userId, csrfToken: admitted.csrfToken, deadlines };
  };

  return (socket, next) => {
    const refuse = (code: HandshakeRefusal): void => {
      metrics.handshake(code);
      next(refusal(code));
    };
    check(socket).then(
      (outcome) => {
        if (!outcome.ok) return refuse(outcome.code);
        // Handshakes of one session arriving together all pass the early check while the others
        // await the store. Checked again here and the rooms joined in the same tick, so the cap
        // holds however many arrive at once. (A socket refused or closed before it connects
        // leaves its rooms again: Socket.IO cleans up after a middleware error or a closed client.)
        if (overCap(socket, outcome.sessionId, outcome.userId)) return refuse('too_many_sockets');
        socket.join([sessionRoom(outcome.sessionId), userRoom(outcome.userId)]);
        socket.data = { sessionId: outcome.sessionId, userId: outcome.userId, ...outcome.deadlines };
        options.admit(outcome.sessionId, outcome.userId, outcome.csrfToken, outcome.deadlines);
        metrics.handshake('admitted');
        next();
      },
      () => refuse('unavailable'),
    );
  };
}
