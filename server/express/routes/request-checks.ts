// What a route checks first: a signed-in user, a fresh session (step-up), a body that fits its schema.
import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { User } from '../../../shared/api.js';
import { isSignedIn } from '../request-session.js';
import { HttpError } from './api-errors.js';

/**
 * The signed-in user of a request, or a 401 (503 when the store could not be read).
 * @example router.get('/me', (req, res) => res.json(requireUser(req, res)));
 */
export function requireUser(req: Request, res: Response): User & { sessionId: string; handle: string } {
  if (res.locals.sessionUnavailable) throw new HttpError(503, 'unavailable', 'the session store is unavailable; try again');
  if (!isSignedIn(req)) throw new HttpError(401, 'unauthenticated', 'sign in first');
  return { id: req.session.userId, username: req.session.username, sessionId: req.sessionID, handle: req.session.handle };
}

/**
 * Throws 403 reauthentication_required unless the request's session signed in or confirmed its
 * password within the lifecycle's fresh window (`freshMs`).
 * @example router.post('/password', (req, res) => { requireFresh(req, lifecycle); … });
 */
export function requireFresh(req: Request, lifecycle: { isFresh(record: { freshUntil?: number }): boolean }): void {
  if (isSignedIn(req) && lifecycle.isFresh(req.session)) return;
  throw new HttpError(403, 'reauthentication_required', 'confirm your password first (POST /api/reauthenticate)');
}

/**
 * Returns the parsed body or throws 400 invalid_input naming the first problem.
 * @example const { username } = parseBody(credentialsSchema, req);
 */
export function parseBody<T extends z.ZodType>(schema: T, req: Request): z.infer<T> {
  const result = schema.safeParse(req.body ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    throw new HttpError(400, 'invalid_input', `${where}${issue?.message ?? 'invalid body'}`);
  }
  return result.data;
}
