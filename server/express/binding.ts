// The Express binding: the session middleware (pinned expiry, activity, CSRF) and sign-in/out/renew helpers.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import session from 'express-session';
import { BACKGROUND_HEADER, CSRF_HEADER } from '../../shared/constants.js';
import type { EndReason } from '../../shared/reasons.js';
import { readSessionId, tokensEqual } from '../sessions/cookie.js';
import type { AppData, SessionRecord, SessionStart } from '../sessions/data.js';
import { newSessionId, type CredentialGuard, type SessionLifecycle } from '../sessions/lifecycle.js';
import { createAnonymousCsrf } from './anonymous-csrf.js';
import { adopt, isSignedIn, LifecycleSessionStore, pinCookieExpiry, regenerate, type SignedInRequest } from './request-session.js';

export interface TetherExpressOptions {
  /** Cookie signing secrets: the first signs, all verify (rotation). At least one, ≥ 16 characters. */
  secrets: readonly string[];
  /** `Secure` cookies and the `__Host-` prefix (serve over https). Default false. */
  secure?: boolean;
  /** Session cookie name; default `sid` (`__Host-sid` when secure). */
  cookieName?: string;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const PENDING_ID = Symbol('tether.pendingSessionId');
type WithPendingId = Request & { [PENDING_ID]?: string };

/** Thrown by the middleware's CSRF check and the helpers; `status` + `code` answer it. */
export class SessionHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: 'csrf_invalid' | 'unavailable' | 'unauthenticated',
    message: string,
  ) {
    super(message);
  }
}

/**
 * @example const sessions = tetherExpress(lifecycle, { secrets: [process.env.SECRET!] });
 *          app.use(express.json(), sessions.middleware);
 *          app.post('/signin', async (req, res) => { await sessions.signIn(req, res, { userId: 'u1', username: 'ann' }); res.json({ csrfToken: sessions.csrfToken(req, res) }); });
 *          app.post('/signout', async (req, res) => { await sessions.signOut(req, res); res.sendStatus(204); });
 */
export function tetherExpress<App extends object = AppData>(lifecycle: SessionLifecycle<App>, options: TetherExpressOptions) {
  if (!options.secrets.length || options.secrets.some((s) => s.length < 16)) throw new TypeError('tetherExpress: `secrets` needs at least one secret of 16 or more characters');
  const secure = options.secure ?? false;
  const cookieName = options.cookieName ?? (secure ? '__Host-sid' : 'sid');
  const anonymous = createAnonymousCsrf({ secrets: options.secrets, secure });
  const expressSession = session({
    name: cookieName,
    secret: [...options.secrets],
    store: new LifecycleSessionStore((sid) => lifecycle.get(sid) as Promise<SessionRecord | null>, { secure }),
    resave: false,
    saveUninitialized: false,
    unset: 'destroy',
    genid: (req) => (req as WithPendingId)[PENDING_ID] ?? newSessionId(),
    cookie: { httpOnly: true, sameSite: 'lax', secure, path: '/' },
  });

  const load: RequestHandler = (req, res, next) => {
    let continued = false;
    expressSession(req, res, (err?: unknown) => {
      // express-session calls this again when its end-of-response save fails; the routes ran once.
      if (continued) return;
      continued = true;
      if (err) {
        // The store cannot be reached: carry on without a session; routes that need one answer
        // 503, and sign-out still ends this node's sockets (checked by the token they were admitted with).
        res.locals.sessionUnavailable = true;
        delete (req as { sessionID?: string }).sessionID;
      }
      next();
    });
  };

  /** Activity: every request of a signed-in session moves its idle deadline (background GETs excepted). */
  const activity: RequestHandler = (req, _res, next) => {
    if (!isSignedIn(req)) return next();
    pinCookieExpiry(req.session);
    if (req.method === 'GET' && req.get(BACKGROUND_HEADER) === '1') return next();
    // Written before the route runs (as express-session's save held the response): a request that
    // answered has moved the deadline everywhere. A store that fails here is the route's to report.
    // The response shows the deadlines in force (a coalesced touch leaves the stored ones).
    const at = lifecycle.clock.now();
    const sess = req.session;
    lifecycle.touch(req.sessionID, { at }).then(
      (deadlines) => {
        if (deadlines) Object.assign(sess, deadlines, { lastSeenAt: Math.max(sess.lastSeenAt, at) });
        next();
      },
      () => next(),
    );
  };

  const sessionIdOf = (req: Request): string | null => (isSignedIn(req) ? req.sessionID : readSessionId(req.headers.cookie, cookieName, options.secrets));

  const csrf = (req: Request, res: Response, next: NextFunction): void => {
    if (SAFE_METHODS.has(req.method)) return next();
    const given = req.get(CSRF_HEADER);
    if (res.locals.sessionUnavailable) {
      // Only a sign-out can still be checked, by the token this node's sockets were admitted with.
      const sid = readSessionId(req.headers.cookie, cookieName, options.secrets);
      const known = sid ? lifecycle.known(sid) : undefined;
      if (known && tokensEqual(known.csrfToken, given)) return next();
      return next(new SessionHttpError(503, 'unavailable', 'the session store is unavailable; try again'));
    }
    const ok = isSignedIn(req) ? tokensEqual(req.session.csrfToken, given) : anonymous.verify(req, given);
    if (!ok) return next(new SessionHttpError(403, 'csrf_invalid', `missing or wrong ${CSRF_HEADER}; fetch a fresh token`));
    next();
  };

  const clearCookie = (res: Response): void => {
    res.clearCookie(cookieName, { path: '/', httpOnly: true, sameSite: 'lax', secure });
  };

  return {
    /** The lifecycle the binding runs on (every transition of the helpers goes through it). */
    lifecycle,
    cookieName,
    /** Mount on the routes that use sessions: load, expiry, activity, CSRF (in that order). */
    middleware: [load, activity, csrf] as RequestHandler[],
    /** The request's signed-in session, or null. */
    current(req: Request): { sessionId: string; record: SessionRecord<App> } | null {
      return isSignedIn(req) ? { sessionId: req.sessionID, record: req.session as unknown as SessionRecord<App> } : null;
    },
    /** True when the store could not be read for this request (answer 503). */
    unavailable: (res: Response): boolean => Boolean(res.locals.sessionUnavailable),
    /** The CSRF token to hand the page: the session's, or a signed-out visitor's stateless one. */
    csrfToken: (req: Request, res: Response): string => (isSignedIn(req) ? req.session.csrfToken : anonymous.tokenFor(req, res)),
    /** The session ID the request's cookie names (even when the store cannot be read), or null. */
    sessionIdOf,
    readSessionId: (cookieHeader: string | undefined): string | null => readSessionId(cookieHeader, cookieName, options.secrets),
    /**
     * Signs in under a new session ID (the old cookie no longer authenticates; a signed-in old
     * session ends with `logout`). `guard`: see `lifecycle.create`.
     */
    async signIn(req: Request, _res: Response, user: Omit<SessionStart<App>, 'userAgent' | 'ip'> & Partial<SessionStart<App>>, guard?: CredentialGuard): Promise<SessionRecord<App>> {
      if (isSignedIn(req)) await lifecycle.end(req.sessionID, 'logout');
      const { sessionId, record } = await lifecycle.create({ userAgent: String(req.headers['user-agent'] ?? ''), ip: req.ip ?? '', ...user }, guard);
      (req as WithPendingId)[PENDING_ID] = sessionId;
      await regenerate(req);
      delete (req as WithPendingId)[PENDING_ID];
      adopt(req, record as SessionRecord);
      return record;
    },
    /** Ends the request's own session (also with the store down) and clears its cookie. */
    async signOut(req: Request, res: Response, reason: EndReason = 'logout'): Promise<void> {
      const sessionId = sessionIdOf(req);
      if (sessionId) await lifecycle.end(sessionId, reason);
      delete (req as { session?: unknown }).session;
      clearCookie(res);
    },
    /**
     * Continues the request's session under a new ID after `commit` (a password change) and ends
     * every other session of the user. Null when the session ended meanwhile: nothing changed.
     */
    async changeCredentials(req: Request, res: Response, commit: () => Promise<void>): Promise<SessionRecord<App> | null> {
      if (!isSignedIn(req)) return null;
      const sent = new Promise<void>((resolve) => {
        res.once('finish', resolve);
        res.once('close', resolve);
      });
      const renewed = await lifecycle.changeCredentials(req.sessionID, commit, sent);
      if (!renewed) return null;
      (req as WithPendingId)[PENDING_ID] = renewed.sessionId;
      await regenerate(req);
      delete (req as WithPendingId)[PENDING_ID];
      adopt(req, renewed.record as SessionRecord);
      return renewed.record;
    },
  };
}

export type TetherExpress<App extends object = AppData> = ReturnType<typeof tetherExpress<App>>;
export { isSignedIn, type SignedInRequest };
