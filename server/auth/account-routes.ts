// /api/session, /api/register, /api/login, /api/logout, /api/password.
import { Router, type Request } from 'express';
import { credentialsSchema, loginSchema, passwordChangeSchema, type PasswordChanged, type SessionState, type SignedIn, type User } from '../../shared/api.js';
import type { SessionCore } from '../sessions/core.js';
import { hasSession } from '../sessions/http.js';
import type { Logger } from '../log.js';
import { HttpError } from '../http/errors.js';
import type { PasswordHasher } from './passwords.js';
import type { AuthLimits } from './rate-limits.js';
import { UsernameTakenError, type UsersRepo } from './users.js';
import { parseBody } from './validate.js';

export interface AccountRoutesOptions {
  core: SessionCore;
  users: UsersRepo;
  hasher: PasswordHasher;
  limits: AuthLimits;
  log: Logger;
  idleTimeoutMs: number;
}

/** The signed-in user of a request, or a 401 (503 when the store could not be read). */
export function requireUser(req: Request): User & { sessionId: string } {
  if (!req.session && req.res?.locals.sessionUnavailable) throw new HttpError(503, 'unavailable', 'the session store is unavailable; try again');
  if (!hasSession(req) || !req.session.userId) throw new HttpError(401, 'unauthenticated', 'sign in first');
  return { id: req.session.userId, username: req.session.username ?? '', sessionId: req.sessionID };
}

const unavailable = (): HttpError => new HttpError(503, 'unavailable', 'a service the server needs is unavailable; try again');

/**
 * @example app.use('/api', createAccountRoutes({ core, users, hasher, limits, log, idleTimeoutMs }));
 */
export function createAccountRoutes({ core, users, hasher, limits, log, idleTimeoutMs }: AccountRoutesOptions): Router {
  const router = Router();
  const signedIn = (req: Request, user: User): SignedIn => ({ user, csrfToken: (req.session as { csrfToken: string }).csrfToken });
  const needStore = (req: Request): void => {
    if (!req.session) throw unavailable();
  };

  router.get('/session', async (req, res) => {
    needStore(req);
    // The cookie's session continues under a new ID (a password change in another tab) whose
    // cookie is on its way: starting an anonymous session here would overwrite it in the browser.
    if (!hasSession(req) && core.endedReason(core.readSessionId(req) ?? undefined) === 'renewed') {
      throw new HttpError(409, 'session_renewed', 'this session continues under a new cookie; retry in a moment');
    }
    core.ensureSession(req);
    if (!hasSession(req)) throw unavailable();
    const s = req.session;
    const body: SessionState = {
      user: s.userId ? { id: s.userId, username: s.username ?? '' } : null,
      csrfToken: s.csrfToken,
      idleExpiresAt: s.userId ? s.idleExpiresAt : null,
      absoluteExpiresAt: s.userId ? s.absoluteExpiresAt : null,
      idleTimeoutMs,
      preferences: { theme: s.theme ?? 'system' },
    };
    res.json(body);
  });

  router.post('/register', limits.register, async (req, res) => {
    const { username, password } = parseBody(credentialsSchema, req);
    needStore(req);
    let user: User;
    try {
      user = await users.create(username, await hasher.hash(password));
    } catch (error) {
      if (error instanceof UsernameTakenError) throw new HttpError(409, 'username_taken', 'that username is taken');
      log.warn({ err: error }, 'register failed');
      throw unavailable();
    }
    await core.signIn(req, user);
    log.info({ userId: user.id }, 'registered');
    res.status(201).json(signedIn(req, user));
  });

  router.post('/login', async (req, res) => {
    const { username, password } = parseBody(loginSchema, req);
    needStore(req);
    // Only a wrong password counts against the limit; the check runs inside it (limits.login).
    const found = await limits.login.attempt(req, username, async () => {
      const stored = await users.findByUsername(username).catch((error: unknown) => {
        log.warn({ err: error }, 'user lookup failed');
        throw unavailable();
      });
      // Verify even when the user is unknown, against a dummy hash: same cost either way.
      return (await hasher.verify(stored?.passwordHash, password)) && stored ? stored : undefined;
    });
    if (!found) throw new HttpError(401, 'invalid_credentials', 'wrong username or password');
    const user = { id: found.id, username: found.username };
    await core.signIn(req, user);
    log.info({ userId: user.id }, 'signed in');
    res.json(signedIn(req, user));
  });

  router.post('/logout', async (req, res) => {
    if (hasSession(req) && !req.session.userId) {
      res.status(204).end();
      return;
    }
    await core.endCurrent(req, res, 'logout');
    res.setHeader('Clear-Site-Data', '"cookies", "storage"');
    res.status(204).end();
  });

  router.post('/password', async (req, res) => {
    const me = requireUser(req);
    const { currentPassword, newPassword } = parseBody(passwordChangeSchema, req);
    const stored = await users.findById(me.id).catch(() => {
      throw unavailable();
    });
    if (!stored || !(await hasher.verify(stored.passwordHash, currentPassword))) {
      throw new HttpError(401, 'invalid_credentials', 'the current password is wrong');
    }
    await users.setPasswordHash(me.id, await hasher.hash(newPassword));
    const csrfToken = await core.renewAfterPasswordChange(req, res);
    log.info({ userId: me.id }, 'password changed');
    const body: PasswordChanged = { csrfToken };
    res.json(body);
  });

  return router;
}
