// The signed-in user of a request, for routes that need one.
import type { Request, Response } from 'express';
import type { User } from '../../shared/api.js';
import { isSignedIn } from '../express/index.js';
import { HttpError } from '../http/errors.js';

/** The signed-in user of a request, or a 401 (503 when the store could not be read). */
export function requireUser(req: Request, res: Response): User & { sessionId: string } {
  if (res.locals.sessionUnavailable) throw new HttpError(503, 'unavailable', 'the session store is unavailable; try again');
  if (!isSignedIn(req)) throw new HttpError(401, 'unauthenticated', 'sign in first');
  return { id: req.session.userId, username: req.session.username, sessionId: req.sessionID };
}
