// POST /reauthenticate: a password confirmation makes the session fresh again (step-up), limited like sign-in.
import { Router } from 'express';
import { reauthenticateSchema, type Reauthenticated } from '../../../shared/account.js';
import { HttpError } from './api-errors.js';
import { orUnavailable } from './account-routes.js';
import type { RoutesContext } from './context.js';
import { clientOf } from './ports.js';
import { parseBody, requireUser } from './request-checks.js';

/** @example router.use(stepUpRoutes(resolveRoutesOptions({ sessions, accounts, hasher, countSockets }))); */
export function stepUpRoutes<App extends object>(ctx: RoutesContext<App>): Router {
  const { sessions, lifecycle, accounts, hasher, hooks } = ctx;
  const router = Router();
  router.post('/reauthenticate', async (req, res) => {
    const me = requireUser(req, res);
    const { password } = parseBody(reauthenticateSchema, req);
    // A confirmation is a guess like a sign-in: counted by the same limit.
    const ok = await ctx.loginLimit.attempt(req, me.username, async () => {
      const stored = await orUnavailable(ctx, accounts.findById(me.id));
      return (await hasher.verify(stored?.passwordHash, password)) ? true : undefined;
    });
    if (!ok) {
      await hooks.onFailedSignIn?.({ req, userId: me.id, via: 'reauthenticate', ...clientOf(req) });
      throw new HttpError(401, 'invalid_credentials', 'the password is wrong');
    }
    const freshUntil = await lifecycle.markFresh(me.sessionId);
    if (freshUntil === null) throw new HttpError(401, 'unauthenticated', 'this session has ended; sign in again');
    await hooks.onReauthenticated?.({ req, userId: me.id, session: me.handle, ...clientOf(req) });
    const body: Reauthenticated = { csrfToken: sessions.csrfToken(req, res), freshUntil };
    res.json(body);
  });
  return router;
}
