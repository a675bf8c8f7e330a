// CSRF: a synchronizer token per session, required in X-CSRF-Token on every state-changing request.
// A few lines of constant-time comparison rather than csrf-sync: the same token must also be checked
// at the socket handshake and, with the store down, against the token a socket was admitted with,
// which csrf-sync's request-bound API does not offer.
import type { RequestHandler } from 'express';
import { tokensEqual } from '../sessions/cookie.js';
import type { SessionCore } from '../sessions/core.js';
import { hasSession } from '../sessions/http.js';
import { sendError } from '../http/errors.js';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * @example router.use(csrfProtection(core));
 */
export function csrfProtection(core: SessionCore): RequestHandler {
  return (req, res, next) => {
    if (SAFE.has(req.method)) return next();
    const given = req.get('x-csrf-token');
    if (res.locals.sessionUnavailable) {
      // The store is down: only a sign-out can still be checked, by the token this node's
      // sockets of the session were admitted with.
      const sid = core.readSessionId(req);
      const admitted = sid ? core.admittedSession(sid) : undefined;
      if (admitted && tokensEqual(admitted.csrfToken, given)) return next();
      return sendError(res, 503, 'unavailable', 'the session store is unavailable; try again');
    }
    if (!hasSession(req) || !tokensEqual(req.session.csrfToken, given)) {
      return sendError(res, 403, 'csrf_invalid', 'missing or wrong X-CSRF-Token; fetch /api/session for a fresh one');
    }
    next();
  };
}
