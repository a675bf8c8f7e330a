// POST /logout-everywhere, GET /sessions, DELETE /sessions/:id: a user's sessions, listed and ended.
import { Router } from 'express';
import { sessionHandleSchema, type SessionList, type SessionListItem } from '../../../shared/api.js';
import { HttpError } from './api-errors.js';
import type { RoutesContext } from './context.js';
import { clientOf } from './ports.js';
import { requireFresh, requireUser } from './request-checks.js';

/** @example router.use(sessionsRoutes(resolveRoutesOptions({ sessions, accounts, hasher, countSockets }))); */
export function sessionsRoutes<App extends object>(ctx: RoutesContext<App>): Router {
  const { sessions, lifecycle, hooks } = ctx;
  const router = Router();

  router.post('/logout-everywhere', async (req, res) => {
    const me = requireUser(req, res);
    await lifecycle.endAllOfUser(me.id, 'logout_everywhere');
    await sessions.signOut(req, res, 'logout_everywhere');
    await hooks.onSignedOutEverywhere?.({ req, userId: me.id, session: me.handle, ...clientOf(req) });
    res.setHeader('Clear-Site-Data', '"cookies", "storage"');
    res.status(204).end();
  });

  router.get('/sessions', async (req, res) => {
    const me = requireUser(req, res);
    const [list, counts] = await Promise.all([lifecycle.list(me.id), ctx.countSockets(me.id)]);
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
    const target = handle.success ? await lifecycle.registry.byHandle(handle.data) : null;
    if (!handle.success || !target || target.userId !== me.id) throw new HttpError(404, 'not_found', 'no such session');
    // Step-up for ending ANOTHER session, except one that signed in within the fresh window: a
    // new sign-in notice's "Not you? Revoke" acts on one click (CONTRACT.md, Beyond).
    if (target.sessionId !== me.sessionId && target.createdAt <= lifecycle.clock.now() - lifecycle.freshMs) requireFresh(req, lifecycle);
    const revoked = await lifecycle.revoke(me.id, handle.data);
    if (!revoked) throw new HttpError(404, 'not_found', 'no such session');
    await hooks.onRevoked?.({ req, userId: me.id, session: me.handle, revoked: handle.data, ...clientOf(req) });
    if (revoked.sessionId === me.sessionId) {
      await sessions.signOut(req, res, 'revoked');
      res.setHeader('Clear-Site-Data', '"cookies", "storage"');
    }
    res.status(204).end();
  });

  return router;
}
