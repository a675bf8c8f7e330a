// GET /session, POST /register, /login, /logout, /password: signing in and out, as the contract's HTTP API.
import { Router, type Request, type Response } from 'express';
import { credentialsSchema, loginSchema, passwordChangeSchema, type PasswordChanged, type SessionState, type SignedIn, type User } from '../../../shared/api.js';
import { CredentialsChangedError, type SessionRecord } from '../../sessions/index.js';
import { HttpError } from './api-errors.js';
import type { RoutesContext } from './context.js';
import { clientOf, UsernameTakenError, type Account } from './ports.js';
import { parseBody, requireFresh, requireUser } from './request-checks.js';

export const unavailable = (): HttpError => new HttpError(503, 'unavailable', 'a service the server needs is unavailable; try again');

/** An accounts call whose failure is an outage (503), not an answer. */
export const orUnavailable = <T>(ctx: Pick<RoutesContext<object>, 'log'>, query: Promise<T>): Promise<T> =>
  query.catch((error: unknown) => {
    ctx.log.warn({ err: error }, 'accounts lookup failed');
    throw unavailable();
  });

/** @example router.use(accountRoutes(resolveRoutesOptions({ sessions, accounts, hasher, countSockets }))); */
export function accountRoutes<App extends object>(ctx: RoutesContext<App>): Router {
  const { sessions, lifecycle, accounts, hasher, hooks, log } = ctx;
  const router = Router();
  const needStore = (res: Response): void => {
    if (sessions.unavailable(res)) throw unavailable();
  };
  const signedIn = (req: Request, res: Response, user: User): SignedIn => ({ user, csrfToken: sessions.csrfToken(req, res) });
  const signedInEvent = (req: Request, user: User, record: SessionRecord<App>) => ({
    req,
    user,
    userId: user.id,
    session: record.handle,
    sessionId: req.sessionID,
    createdAt: record.createdAt,
    ...clientOf(req),
  });

  router.get('/session', async (req, res) => {
    needStore(res);
    // The cookie's session continues under a new ID (a password change in another tab) whose
    // cookie is on its way: answering as signed out here would make the page think it ended.
    const current = sessions.current(req);
    const cookieSid = sessions.readSessionId(req.headers.cookie);
    if (!current && cookieSid && lifecycle.endedReason(cookieSid) === 'renewed') {
      throw new HttpError(409, 'session_renewed', 'this session continues under a new cookie; retry in a moment');
    }
    const s = current?.record;
    const body: SessionState = {
      ...ctx.sessionState(s ?? null, req),
      user: s ? { id: s.userId, username: s.username } : null,
      csrfToken: sessions.csrfToken(req, res),
      idleExpiresAt: s ? s.idleExpiresAt : null,
      absoluteExpiresAt: s ? s.absoluteExpiresAt : null,
      idleTimeoutMs: lifecycle.timeouts.idleTimeoutMs,
    };
    res.json(body);
  });

  router.post('/register', ...ctx.register, async (req, res) => {
    const { username, password } = parseBody(credentialsSchema, req);
    needStore(res);
    let user: User;
    try {
      user = await accounts.create(username, await hasher.hash(password));
    } catch (error) {
      if (error instanceof UsernameTakenError) throw new HttpError(409, 'username_taken', 'that username is taken');
      log.warn({ err: error }, 'register failed');
      throw unavailable();
    }
    const record = await sessions.signIn(req, res, { userId: user.id, username: user.username });
    log.info({ userId: user.id }, 'registered');
    await hooks.onRegistered?.(signedInEvent(req, user, record));
    res.status(201).json(signedIn(req, res, user));
  });

  router.post('/login', async (req, res) => {
    const { username, password } = parseBody(loginSchema, req);
    needStore(res);
    // Only a wrong password counts against the limit; the check runs inside it. The credential
    // epoch is read before the hash that is verified (read again, after it): a password change
    // that completes meanwhile moves the epoch, and this sign-in then fails.
    let epoch = 0;
    let knownId: string | undefined;
    const found = await ctx.loginLimit.attempt(req, username, async (): Promise<Account | undefined> => {
      const known = await orUnavailable(ctx, accounts.findByUsername(username));
      knownId = known?.id;
      epoch = known ? await lifecycle.credentialEpoch(known.id) : 0;
      const stored = known ? await orUnavailable(ctx, accounts.findById(known.id)) : undefined;
      // Verify even when the user is unknown, against the hasher's dummy hash: same cost either way.
      return (await hasher.verify(stored?.passwordHash, password)) && stored ? stored : undefined;
    });
    if (!found) {
      if (knownId) await hooks.onFailedSignIn?.({ req, userId: knownId, via: 'login', ...clientOf(req) });
      throw new HttpError(401, 'invalid_credentials', 'wrong username or password');
    }
    // Told only to whoever has the password: a lock does not reveal that the username exists.
    if (found.lockedAt !== null && found.lockedAt !== undefined) throw new HttpError(403, 'account_locked', 'this account is locked; ask an operator');
    const user = { id: found.id, username: found.username };
    let record: SessionRecord<App>;
    try {
      record = await sessions.signIn(req, res, { userId: user.id, username: user.username }, { epoch });
    } catch (error) {
      if (error instanceof CredentialsChangedError) throw new HttpError(401, 'invalid_credentials', 'wrong username or password');
      throw error;
    }
    log.info({ userId: user.id }, 'signed in');
    await hooks.onSignedIn?.(signedInEvent(req, user, record));
    res.json(signedIn(req, res, user));
  });

  router.post('/logout', async (req, res) => {
    const was = sessions.current(req)?.record;
    await sessions.signOut(req, res, 'logout');
    if (was) await hooks.onSignedOut?.({ req, userId: was.userId, session: was.handle, ...clientOf(req) });
    res.setHeader('Clear-Site-Data', '"cookies", "storage"');
    res.status(204).end();
  });

  router.post('/password', async (req, res) => {
    const me = requireUser(req, res);
    requireFresh(req, lifecycle);
    const { currentPassword, newPassword } = parseBody(passwordChangeSchema, req);
    const stored = await orUnavailable(ctx, accounts.findById(me.id));
    if (!stored || !(await hasher.verify(stored.passwordHash, currentPassword))) {
      throw new HttpError(401, 'invalid_credentials', 'the current password is wrong');
    }
    const newHash = await hasher.hash(newPassword);
    // Atomic with the session's other transitions: if it ended while the password was verified,
    // nothing changes and the answer is as for a signed-out session.
    const renewed = await sessions.changeCredentials(req, res, () => accounts.setPasswordHash(me.id, newHash));
    if (!renewed) throw new HttpError(401, 'unauthenticated', 'this session has ended; sign in again');
    log.info({ userId: me.id }, 'password changed');
    await hooks.onPasswordChanged?.({ req, userId: me.id, session: renewed.handle, ...clientOf(req) });
    const body: PasswordChanged = { csrfToken: renewed.csrfToken };
    res.json(body);
  });

  return router;
}
