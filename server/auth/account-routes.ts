// /api/session, /api/register, /api/login, /api/logout, /api/password.
import { Router, type Request, type Response } from 'express';
import { credentialsSchema, loginSchema, passwordChangeSchema, type PasswordChanged, type SessionState, type SignedIn, type User } from '../../shared/api.js';
import { isSignedIn, type TetherExpress } from '../express/index.js';
import { CredentialsChangedError, type SessionLifecycle } from '../sessions/index.js';
import type { Logger } from '../log.js';
import type { ActivityRecorder } from '../activity/recorder.js';
import { HttpError } from '../http/errors.js';
import { requireUser } from './require-user.js';

export { requireUser };
import type { PasswordHasher } from './passwords.js';
import type { AuthLimits } from './rate-limits.js';
import { UsernameTakenError, type UsersRepo } from './users.js';
import { requireFresh } from './step-up.js';
import { parseBody } from './validate.js';

export interface AccountRoutesOptions {
  lifecycle: SessionLifecycle;
  sessions: TetherExpress;
  users: UsersRepo;
  hasher: PasswordHasher;
  limits: AuthLimits;
  log: Logger;
  idleTimeoutMs: number;
  activity: ActivityRecorder;
}

const unavailable = (): HttpError => new HttpError(503, 'unavailable', 'a service the server needs is unavailable; try again');


/**
 * @example app.use('/api', createAccountRoutes({ lifecycle, sessions, users, hasher, limits, log, idleTimeoutMs }));
 */
export function createAccountRoutes({ lifecycle, sessions, users, hasher, limits, log, idleTimeoutMs, activity }: AccountRoutesOptions): Router {
  const router = Router();
  const from = (req: Request): { ip: string; userAgent: string } => ({ ip: req.ip ?? '', userAgent: String(req.headers['user-agent'] ?? '') });
  const needStore = (res: Response): void => {
    if (sessions.unavailable(res)) throw unavailable();
  };
  const signedIn = (req: Request, res: Response, user: User): SignedIn => ({ user, csrfToken: sessions.csrfToken(req, res) });

  router.get('/session', async (req, res) => {
    needStore(res);
    // The cookie's session continues under a new ID (a password change in another tab) whose
    // cookie is on its way: answering as signed out here would make the page think it ended.
    const cookieSid = sessions.readSessionId(req.headers.cookie);
    if (!isSignedIn(req) && cookieSid && lifecycle.endedReason(cookieSid) === 'renewed') {
      throw new HttpError(409, 'session_renewed', 'this session continues under a new cookie; retry in a moment');
    }
    const s = isSignedIn(req) ? req.session : undefined;
    const theme = s?.app.theme;
    const body: SessionState = {
      user: s ? { id: s.userId, username: s.username } : null,
      csrfToken: sessions.csrfToken(req, res),
      idleExpiresAt: s ? s.idleExpiresAt : null,
      absoluteExpiresAt: s ? s.absoluteExpiresAt : null,
      idleTimeoutMs,
      preferences: { theme: theme === 'light' || theme === 'dark' ? theme : 'system' },
    };
    res.json(body);
  });

  router.post('/register', limits.register, async (req, res) => {
    const { username, password } = parseBody(credentialsSchema, req);
    needStore(res);
    let user: User;
    try {
      user = await users.create(username, await hasher.hash(password));
    } catch (error) {
      if (error instanceof UsernameTakenError) throw new HttpError(409, 'username_taken', 'that username is taken');
      log.warn({ err: error }, 'register failed');
      throw unavailable();
    }
    await sessions.signIn(req, res, { userId: user.id, username: user.username });
    log.info({ userId: user.id }, 'registered');
    res.status(201).json(signedIn(req, res, user));
  });

  router.post('/login', async (req, res) => {
    const { username, password } = parseBody(loginSchema, req);
    needStore(res);
    // Only a wrong password counts against the limit; the check runs inside it (limits.login).
    // The credential epoch is read before the hash that is verified (read again, after it): a
    // password change that completes meanwhile moves the epoch, and this sign-in then fails.
    let epoch = 0;
    let knownId: string | undefined;
    const found = await limits.login.attempt(req, username, async () => {
      const lookup = <T>(query: Promise<T>): Promise<T> =>
        query.catch((error: unknown) => {
          log.warn({ err: error }, 'user lookup failed');
          throw unavailable();
        });
      const known = await lookup(users.findByUsername(username));
      knownId = known?.id;
      epoch = known ? await lifecycle.credentialEpoch(known.id) : 0;
      const stored = known ? await lookup(users.findById(known.id)) : undefined;
      // Verify even when the user is unknown, against a dummy hash: same cost either way.
      return (await hasher.verify(stored?.passwordHash, password)) && stored ? stored : undefined;
    });
    if (!found) {
      // A known user's failures are counted into one history entry per burst; unknown names have no history.
      if (knownId) await activity.failedSignIn({ userId: knownId, ...from(req) });
      throw new HttpError(401, 'invalid_credentials', 'wrong username or password');
    }
    // Told only to whoever has the password: a lock does not reveal that the username exists.
    if (found.lockedAt !== null) throw new HttpError(403, 'account_locked', 'this account is locked; ask an operator');
    const user = { id: found.id, username: found.username };
    let record: Awaited<ReturnType<typeof sessions.signIn>>;
    try {
      record = await sessions.signIn(req, res, { userId: user.id, username: user.username }, { epoch });
    } catch (error) {
      if (error instanceof CredentialsChangedError) throw new HttpError(401, 'invalid_credentials', 'wrong username or password');
      throw error;
    }
    log.info({ userId: user.id }, 'signed in');
    activity.announceSignIn(user.id, req.sessionID, { id: record.handle, userAgent: record.userAgent, ip: record.ip, at: record.createdAt });
    await activity.record({ userId: user.id, kind: 'signed_in', ...from(req), detail: { session: record.handle } });
    res.json(signedIn(req, res, user));
  });

  router.post('/logout', async (req, res) => {
    const was = isSignedIn(req) ? { userId: req.session.userId, handle: req.session.handle } : null;
    await sessions.signOut(req, res, 'logout');
    if (was) await activity.record({ userId: was.userId, kind: 'signed_out', ...from(req), detail: { session: was.handle } });
    res.setHeader('Clear-Site-Data', '"cookies", "storage"');
    res.status(204).end();
  });

  router.post('/password', async (req, res) => {
    const me = requireUser(req, res);
    requireFresh(req, lifecycle);
    const { currentPassword, newPassword } = parseBody(passwordChangeSchema, req);
    const stored = await users.findById(me.id).catch(() => {
      throw unavailable();
    });
    if (!stored || !(await hasher.verify(stored.passwordHash, currentPassword))) {
      throw new HttpError(401, 'invalid_credentials', 'the current password is wrong');
    }
    const newHash = await hasher.hash(newPassword);
    // Atomic with the session's other transitions: if it ended while the password was verified,
    // nothing changes and the answer is as for a signed-out session.
    const renewed = await sessions.changeCredentials(req, res, () => users.setPasswordHash(me.id, newHash));
    if (!renewed) throw new HttpError(401, 'unauthenticated', 'this session has ended; sign in again');
    log.info({ userId: me.id }, 'password changed');
    await activity.record({ userId: me.id, kind: 'password_changed', ...from(req), detail: { session: renewed.handle } });
    const body: PasswordChanged = { csrfToken: renewed.csrfToken };
    res.json(body);
  });

  return router;
}
