// tetherRoutes: the contract's HTTP API as one optional Router, over the app's accounts, hasher and hooks.
import { Router } from 'express';
import type { AppData } from '../../sessions/index.js';
import { accountRoutes } from './account-routes.js';
import { resolveRoutesOptions, type TetherRoutesOptions } from './context.js';
import { sessionsRoutes } from './sessions-routes.js';
import { stepUpRoutes } from './step-up-routes.js';

/**
 * GET /session, POST /register, /login, /logout, /logout-everywhere, GET /sessions,
 * DELETE /sessions/:id, POST /password and /reauthenticate, with the contract's status codes,
 * bodies and error codes. Mount it under `/api` after a JSON body parser and `sessions.middleware`,
 * and answer its errors with `apiErrors()`.
 * @example app.use('/api', requireJsonBody, express.json({ limit: '16kb' }), sessions.middleware,
 *            tetherRoutes({ sessions, accounts, hasher, countSockets: sockets.countSockets }), apiNotFound, apiErrors(log));
 */
export function tetherRoutes<App extends object = AppData>(options: TetherRoutesOptions<App>): Router {
  const ctx = resolveRoutesOptions(options);
  const router = Router();
  router.use(accountRoutes(ctx), sessionsRoutes(ctx), stepUpRoutes(ctx));
  return router;
}
