// Step-up: sensitive acts need a recent sign-in or password confirmation; POST /api/reauthenticate gives one.
import { Router, type Request, type Response } from 'express';
import { reauthenticateSchema, type Reauthenticated } from '../../shared/account.js';
import type { ActivityRecorder } from '../activity/recorder.js';
import { isSignedIn, type TetherExpress } from '../express/index.js';
import { HttpError } from '../http/errors.js';
import type { SessionLifecycle } from '../sessions/index.js';
import { requireUser } from './require-user.js';
import type { PasswordHasher } from './passwords.js';
import type { LoginLimit } from './login-limit.js';
import type { UsersRepo } from './users.js';
import { parseBody } from './validate.js';

/**
 * Throws 403 reauthentication_required unless the request's session signed in or confirmed its
 * password within the lifecycle's fresh window (SESSION_FRESH_MS).
 * @example router.post('/password', (req, res) => { requireFresh(req, lifecycle); … });
 */
export function requireFresh(req: Request, lifecycle: Pick<SessionLifecycle, 'isFresh'>): void {
  if (isSignedIn(req) && lifecycle.isFresh(req.session)) return;
  throw new HttpError(403, 'reauthentication_required', 'confirm your password first (POST /api/reauthenticate)');
}

export interface StepUpRoutesOptions {
  lifecycle: SessionLifecycle;
  sessions: TetherExpress;
  users: UsersRepo;
  hasher: PasswordHasher;
  /** The sign-in limit: a confirmation is a guess like a sign-in, counted the same way. */
  loginLimit: LoginLimit;
  activity: ActivityRecorder;
}

/**
 * @example app.use('/api', createStepUpRoutes({ lifecycle, sessions, users, hasher, loginLimit, activity }));
 */
export function createStepUpRoutes({ lifecycle, sessions, users, hasher, loginLimit, activity }: StepUpRoutesOptions): Router {
  const router = Router();
  router.post('/reauthenticate', async (req: Request, res: Response) => {
    const me = requireUser(req, res);
    const { password } = parseBody(reauthenticateSchema, req);
    const ok = await loginLimit.attempt(req, me.username, async () => {
      const stored = await users.findById(me.id).catch(() => {
        throw new HttpError(503, 'unavailable', 'a service the server needs is unavailable; try again');
      });
      return (await hasher.verify(stored?.passwordHash, password)) ? true : undefined;
    });
    const ua = String(req.headers['user-agent'] ?? '');
    if (!ok) {
      await activity.failedSignIn({ userId: me.id, ip: req.ip ?? '', userAgent: ua });
      throw new HttpError(401, 'invalid_credentials', 'the password is wrong');
    }
    const freshUntil = await lifecycle.markFresh(me.sessionId);
    if (freshUntil === null) throw new HttpError(401, 'unauthenticated', 'this session has ended; sign in again');
    await activity.record({ userId: me.id, kind: 'reauthenticated', ip: req.ip ?? '', userAgent: ua, detail: { session: (req.session as { handle?: string }).handle ?? '' } });
    const body: Reauthenticated = { csrfToken: sessions.csrfToken(req, res), freshUntil };
    res.json(body);
  });
  return router;
}
