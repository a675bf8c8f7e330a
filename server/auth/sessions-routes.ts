// /api/logout-everywhere, /api/sessions, /api/sessions/:id.
import { Router } from 'express';
import { sessionHandleSchema, type SessionList, type SessionListItem } from '../../shared/api.js';
import type { TetherExpress } from '../express/index.js';
import type { SessionLifecycle } from '../sessions/index.js';
import type { TetherSocketIO } from '../socketio/index.js';
import { HttpError } from '../http/errors.js';
import { requireUser } from './account-routes.js';

export interface SessionsRoutesOptions {
  lifecycle: SessionLifecycle;
  sessions: TetherExpress;
  sockets: Pick<TetherSocketIO, 'countSockets'>;
}

/**
 * @example app.use('/api', createSessionsRoutes({ lifecycle, sessions, sockets }));
 */
export function createSessionsRoutes({ lifecycle, sessions, sockets }: SessionsRoutesOptions): Router {
  const router = Router();

  router.post('/logout-everywhere', async (req, res) => {
    const me = requireUser(req, res);
    await lifecycle.endAllOfUser(me.id, 'logout_everywhere');
    await sessions.signOut(req, res, 'logout_everywhere');
    res.setHeader('Clear-Site-Data', '"cookies", "storage"');
    res.status(204).end();
  });

  router.get('/sessions', async (req, res) => {
    const me = requireUser(req, res);
    const [list, counts] = await Promise.all([lifecycle.list(me.id), sockets.countSockets(me.id)]);
    const items = list.map(({ handle, sessionId, createdAt, lastSeenAt, userAgent, ip }): SessionListItem => ({
      id: handle,
      current: sessionId === me.sessionId,
      createdAt,
      lastSeenAt,
      userAgent,
      ip,
      sockets: counts.get(sessionId) ?? 0,
    }));
    const body: SessionList = { sessions: items };
    res.json(body);
  });

  router.delete('/sessions/:id', async (req, res) => {
    const me = requireUser(req, res);
    const handle = sessionHandleSchema.safeParse(req.params.id);
    const revoked = handle.success ? await lifecycle.revoke(me.id, handle.data) : null;
    if (!revoked) throw new HttpError(404, 'not_found', 'no such session');
    if (revoked.sessionId === me.sessionId) {
      await sessions.signOut(req, res, 'revoked');
      res.setHeader('Clear-Site-Data', '"cookies", "storage"');
    }
    res.status(204).end();
  });

  return router;
}
