// /api/logout-everywhere, /api/sessions, /api/sessions/:id.
import { Router, type Request } from 'express';
import { sessionHandleSchema, type SessionList, type SessionListItem } from '../../shared/api.js';
import { isSignedIn, type TetherExpress } from '../express/index.js';
import type { SessionLifecycle } from '../sessions/index.js';
import type { TetherSocketIO } from '../socketio/index.js';
import { HttpError } from '../http/errors.js';
import type { ActivityRecorder } from '../activity/recorder.js';
import { requireUser } from './require-user.js';
import { requireFresh } from './step-up.js';

export interface SessionsRoutesOptions {
  lifecycle: SessionLifecycle;
  sessions: TetherExpress;
  sockets: Pick<TetherSocketIO, 'countSockets'>;
  activity: ActivityRecorder;
  /** SESSION_FRESH_MS: a session younger than this may be revoked without step-up ("Not you? Revoke"). */
  freshMs: number;
}

/**
 * @example app.use('/api', createSessionsRoutes({ lifecycle, sessions, sockets }));
 */
export function createSessionsRoutes({ lifecycle, sessions, sockets, activity, freshMs }: SessionsRoutesOptions): Router {
  const router = Router();
  const from = (req: Request): { ip: string; userAgent: string } => ({ ip: req.ip ?? '', userAgent: String(req.headers['user-agent'] ?? '') });

  router.post('/logout-everywhere', async (req, res) => {
    const me = requireUser(req, res);
    const handle = isSignedIn(req) ? req.session.handle : '';
    await lifecycle.endAllOfUser(me.id, 'logout_everywhere');
    await sessions.signOut(req, res, 'logout_everywhere');
    await activity.record({ userId: me.id, kind: 'signed_out_everywhere', ...from(req), detail: { session: handle } });
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
    const mine = isSignedIn(req) ? req.session.handle : '';
    const target = handle.success ? await lifecycle.registry.byHandle(handle.data) : null;
    if (!handle.success || !target || target.userId !== me.id) throw new HttpError(404, 'not_found', 'no such session');
    // Step-up for ending ANOTHER session, except one that signed in within the fresh window: the
    // new sign-in notice's "Not you? Revoke" acts on one click (CONTRACT.md, Beyond).
    if (target.sessionId !== me.sessionId && target.createdAt <= lifecycle.clock.now() - freshMs) requireFresh(req, lifecycle);
    const revoked = await lifecycle.revoke(me.id, handle.data);
    if (!revoked) throw new HttpError(404, 'not_found', 'no such session');
    await activity.record({ userId: me.id, kind: 'revoked', ...from(req), detail: { session: handle.data, by: mine } });
    if (revoked.sessionId === me.sessionId) {
      await sessions.signOut(req, res, 'revoked');
      res.setHeader('Clear-Site-Data', '"cookies", "storage"');
    }
    res.status(204).end();
  });

  return router;
}
