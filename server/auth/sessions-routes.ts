// /api/logout-everywhere, /api/sessions, /api/sessions/:id.
import { Router } from 'express';
import { sessionHandleSchema, type SessionList } from '../../shared/api.js';
import type { SessionCore } from '../sessions/core.js';
import { HttpError } from '../http/errors.js';
import { requireUser } from './account-routes.js';

/**
 * @example app.use('/api', createSessionsRoutes(core));
 */
export function createSessionsRoutes(core: SessionCore): Router {
  const router = Router();

  router.post('/logout-everywhere', async (req, res) => {
    const me = requireUser(req);
    await core.endAllOfUser(me.id, 'logout_everywhere');
    await core.endCurrent(req, res, 'logout_everywhere');
    res.setHeader('Clear-Site-Data', '"cookies", "storage"');
    res.status(204).end();
  });

  router.get('/sessions', async (req, res) => {
    const me = requireUser(req);
    const body: SessionList = { sessions: await core.list(me.id, me.sessionId) };
    res.json(body);
  });

  router.delete('/sessions/:id', async (req, res) => {
    const me = requireUser(req);
    const handle = sessionHandleSchema.safeParse(req.params.id);
    const revoked = handle.success ? await core.revoke(me.id, handle.data) : null;
    if (!revoked) throw new HttpError(404, 'not_found', 'no such session');
    if (revoked.sessionId === me.sessionId) {
      await core.endCurrent(req, res, 'revoked');
      res.setHeader('Clear-Site-Data', '"cookies", "storage"');
    }
    res.status(204).end();
  });

  return router;
}
