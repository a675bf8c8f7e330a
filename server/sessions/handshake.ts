// The socket handshake: Origin, then a live signed-in session, then the CSRF token, each refusal a code.
import type { ExtendedError } from 'socket.io';
import { handshakeAuthSchema, type Deadlines } from '../../shared/events.js';
import type { HandshakeRefusal } from '../../shared/reasons.js';
import type { Clock } from '../clock.js';
import { noMetrics, type MetricsHooks } from '../ops/hooks.js';
import { readSessionId, tokensEqual } from './cookie.js';
import { isPast } from './deadline-math.js';
import type { SessionData } from './data.js';
import { localSocketCount, sessionRoom, userRoom, type TetherSocket } from './io.js';
import type { SessionStore } from './store.js';

export interface HandshakeOptions {
  allowedOrigins: ReadonlySet<string>;
  cookieName: string;
  secrets: readonly string[];
  store: SessionStore;
  clock: Clock;
  maxSocketsPerSession: number;
  maxSocketsPerUser: number;
  /** A session found past its deadline is ended with `expired` (so its other sockets end too). */
  expire(sessionId: string): void;
  /**
   * The handshake is activity: moves the idle deadline in the store; null if the entry is gone.
   */
  touch(sessionId: string, accept: (sess: SessionData) => boolean): Promise<Deadlines | null>;
  /** Called for each admitted socket with the token it presented. */
  admit(sessionId: string, userId: string, csrfToken: string): void;
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
 * @example io.use(createHandshake({ allowedOrigins, cookieName, secrets, store, clock, ... }));
 */
export function createHandshake(options: HandshakeOptions): (socket: TetherSocket, next: (err?: ExtendedError) => void) => void {
  const { store, clock, metrics = noMetrics } = options;
  const overCap = (socket: TetherSocket, sessionId: string, userId: string): boolean => {
    const io = socket.nsp.server;
    return localSocketCount(io, sessionRoom(sessionId)) >= options.maxSocketsPerSession || localSocketCount(io, userRoom(userId)) >= options.maxSocketsPerUser;
  };

  const check = async (socket: TetherSocket): Promise<Outcome> => {
    const origin = socket.handshake.headers.origin;
    // No Origin header at all is allowed: browsers always send one, so it is not a cross-site page.
    if (origin !== undefined && !options.allowedOrigins.has(origin)) return { ok: false, code: 'origin_not_allowed' };

    const sessionId = readSessionId(socket.handshake.headers.cookie, options.cookieName, options.secrets);
    if (!sessionId) return { ok: false, code: 'unauthenticated' };
    const ended = store.tombstones.get(sessionId);
    if (ended) return { ok: false, code: ended === 'expired' ? 'session_expired' : 'unauthenticated' };

    // The session is judged on the entry the touch reads (one read and one write per handshake);
    // a refused one is not written. The store may call the judge again (a compare-and-set retry).
    const token = handshakeAuthSchema.safeParse(socket.handshake.auth).data?.csrfToken;
    let refused: HandshakeRefusal | undefined;
    let admitted: SessionData | undefined;
    const judge = (sess: SessionData): boolean => {
      admitted = undefined;
      if (!sess.userId) refused = 'unauthenticated';
      else if (isPast(sess, clock.now())) refused = 'session_expired';
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
    if (refused === 'session_expired') options.expire(sessionId);
    if (refused) return { ok: false, code: refused };
    if (!deadlines || !admitted?.userId) return { ok: false, code: store.tombstones.get(sessionId) === 'expired' ? 'session_expired' : 'unauthenticated' };
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
        options.admit(outcome.sessionId, outcome.userId, outcome.csrfToken);
        metrics.handshake('admitted');
        next();
      },
      () => refuse('unavailable'),
    );
  };
}
