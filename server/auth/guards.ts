// Guards of the dashboard's routes: a signed-in user (401), a fresh session for sensitive acts (403, step-up).
import type { Request, Response } from 'express';
import type { User } from '../../shared/api.js';
import { isSignedIn } from '../express/index.js';
import { HttpError } from '../http/errors.js';
import type { SessionLifecycle } from '../sessions/index.js';

/** The signed-in user of a request, or a 401 (503 when the store could not be read). */
export function requireUser(req: Request, res: Response): User & { sessionId: string } {
  if (res.locals.sessionUnavailable) throw new HttpError(503, 'unavailable', 'the session store is unavailable; try again');
  if (!isSignedIn(req)) throw new HttpError(401, 'unauthenticated', 'sign in first');
  return { id: req.session.userId, username: req.session.username, sessionId: req.sessionID };
}

/**
 * Throws 403 reauthentication_required unless the request's session signed in or confirmed its
 * password within the lifecycle's fresh window (SESSION_FRESH_MS).
 * @example router.post('/password', (req, res) => { requireFresh(req, lifecycle); … });
 */
export function requireFresh(req: Request, lifecycle: Pick<SessionLifecycle, 'isFresh'>): void {
  if (isSignedIn(req) && lifecycle.isFresh(req.session)) return;
  throw new HttpError(403, 'reauthentication_required', 'confirm your password first (POST /api/reauthenticate)');
}
