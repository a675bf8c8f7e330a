// The session over HTTP: express-session with a fixed cookie expiry, deadlines checked per request.
import { randomBytes } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import session from 'express-session';
import { BACKGROUND_HEADER } from '../../shared/constants.js';
import type { Clock } from '../clock.js';
import { afterActivity, isPast, startDeadlines, type Timeouts } from './deadline-math.js';
import type { SessionData } from './data.js';
import type { SessionStore } from './store.js';

export interface HttpSessionOptions extends Timeouts {
  cookieName: string;
  secure: boolean;
  secrets: readonly string[];
  store: SessionStore;
  clock: Clock;
}

export const newCsrfToken = (): string => randomBytes(24).toString('base64url');

type LiveSession = session.Session & Partial<session.SessionData>;

/**
 * express-session resets the cookie's expiry to now + maxAge before every Set-Cookie
 * (`Session#touch`). The contract wants Expires pinned at the absolute deadline, so each session
 * object gets a `touch` of its own that sets exactly that. Functions are not serialized, so it
 * never reaches the store.
 */
export function pinCookieExpiry(sess: LiveSession): void {
  Object.defineProperty(sess, 'touch', {
    configurable: true,
    enumerable: false,
    value(this: LiveSession) {
      if (this.absoluteExpiresAt) this.cookie.expires = new Date(this.absoluteExpiresAt);
      return this;
    },
  });
}

/** Fills a fresh session's metadata: deadlines from now, a CSRF token, who is asking. */
export function initSession(req: Request, { clock, ...t }: Pick<HttpSessionOptions, 'clock' | 'idleTimeoutMs' | 'absoluteTimeoutMs'>): void {
  const now = clock.now();
  const sess = req.session as LiveSession;
  Object.assign(sess, {
    csrfToken: newCsrfToken(),
    createdAt: now,
    lastSeenAt: now,
    ...startDeadlines(now, t),
    userAgent: String(req.headers['user-agent'] ?? '').slice(0, 512),
    ip: req.ip ?? '',
  } satisfies Omit<SessionData, 'cookie'>);
  pinCookieExpiry(sess);
}

export function hasSession(req: Request): req is Request & { session: LiveSession & SessionData } {
  return Boolean(req.session && (req.session as LiveSession).createdAt);
}

/** Promisified `req.session.regenerate`, which destroys the old ID (tombstoned by the store). */
export function regenerate(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((err: unknown) => (err ? reject(err) : resolve())));
}

export function saveSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((err: unknown) => (err ? reject(err) : resolve())));
}

export interface HttpSession {
  /** express-session, mounted on /api only, so static files never touch the store. */
  middleware: RequestHandler;
  /**
   * After express-session: enforces deadlines (a session past either is ended with `expired` and
   * the request proceeds signed out) and moves the idle deadline of a signed-in session.
   */
  activity(onExpired: (sessionId: string) => Promise<void>, onActive: (sessionId: string, sess: SessionData) => void): RequestHandler;
}

/**
 * @example const http = createHttpSession({ cookieName: 'sid', secure: false, secrets, store, clock, ...timeouts });
 */
export function createHttpSession(options: HttpSessionOptions): HttpSession {
  const { clock, store } = options;
  const expressSession = session({
    name: options.cookieName,
    secret: [...options.secrets],
    store: store.express,
    resave: false,
    saveUninitialized: false,
    unset: 'destroy',
    cookie: { httpOnly: true, sameSite: 'lax', secure: options.secure, path: '/' },
  });
  const middleware: RequestHandler = (req, res, next) => {
    let continued = false;
    expressSession(req, res, (err?: unknown) => {
      // express-session calls this again when its save at the end of the response fails (store
      // down mid-request): the response is already on its way, so running the routes a second
      // time would only fail on sent headers. The entry stays as the store last had it.
      if (continued) return;
      continued = true;
      // A store that cannot be reached: carry on without a session; routes that need one answer
      // 503, and logout still ends this node's sockets (see the routes).
      if (err) {
        res.locals.sessionUnavailable = true;
        // With `unset: 'destroy'`, express-session destroys the cookie's session at the end of any
        // response whose req.session is unset, which a failed read leaves it: a store blip would
        // sign the user out. Without req.sessionID it leaves the entry alone; whoever needs the ID
        // (sign-out) reads it from the signed cookie.
        delete (req as { sessionID?: string }).sessionID;
      }
      next();
    });
  };
  const activity = (onExpired: (sessionId: string) => Promise<void>, onActive: (sessionId: string, sess: SessionData) => void): RequestHandler =>
    async (req: Request, res: Response, next: NextFunction) => {
      if (!req.session) {
        res.locals.sessionUnavailable = true;
        return next();
      }
      if (!hasSession(req)) return next();
      pinCookieExpiry(req.session);
      const now = clock.now();
      const sess = req.session;
      try {
        if (isPast(sess, now)) {
          const expiredId = req.sessionID;
          await onExpired(expiredId);
          // Signed out from here on: a fresh, empty session, not saved unless a route fills it.
          await regenerate(req);
        } else if (sess.userId && !(req.method === 'GET' && req.get(BACKGROUND_HEADER) === '1')) {
          Object.assign(sess, afterActivity(sess, now, options), { lastSeenAt: now });
          onActive(req.sessionID, sess);
        }
        next();
      } catch (error) {
        next(error);
      }
    };
  return { middleware, activity };
}
