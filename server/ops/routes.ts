// GET /readyz and GET /metrics, with the one access rule for metrics (METRICS_TOKEN, else localhost only).
import { timingSafeEqual } from 'node:crypto';
import { Router, type Request } from 'express';
import { sendError } from '../express/index.js';
import type { Drain } from './drain.js';
import type { Metrics } from './metrics.js';

/** Whether PUBLIC_URL names this machine (a development or single-host setup). */
export function isLocalUrl(url: URL): boolean {
  const host = url.hostname.toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '127.0.0.1' || host === '[::1]';
}

/**
 * Who may read /metrics. With METRICS_TOKEN set: only `Authorization: Bearer <token>`, wherever it
 * runs. Without it: everyone when PUBLIC_URL is localhost (nothing else can reach the app then),
 * and nobody otherwise (`/metrics` is 404, as if it did not exist).
 */
export type MetricsAccess = { kind: 'token'; token: string } | { kind: 'open' } | { kind: 'off' };

export function metricsAccess(publicUrl: URL, token: string | undefined): MetricsAccess {
  if (token) return { kind: 'token', token };
  return isLocalUrl(publicUrl) ? { kind: 'open' } : { kind: 'off' };
}

function bearerMatches(req: Request, token: string): boolean {
  const header = req.headers.authorization ?? '';
  const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * @example app.use(opsRoutes({ drain, metrics, access: metricsAccess(config.publicUrl, config.metricsToken) }));
 */
export function opsRoutes({ drain, metrics, access }: { drain: Drain; metrics: Metrics; access: MetricsAccess }): Router {
  const router = Router();
  router.get('/readyz', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.status(drain.ready ? 200 : 503).json({ ready: drain.ready, state: drain.state });
  });
  router.get('/metrics', async (req, res) => {
    if (access.kind === 'off') return sendError(res, 404, 'not_found', 'no such route');
    if (access.kind === 'token' && !bearerMatches(req, access.token)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      return sendError(res, 401, 'unauthenticated', 'metrics need Authorization: Bearer <METRICS_TOKEN>');
    }
    res.setHeader('Cache-Control', 'no-store');
    res.type(metrics.contentType).send(await metrics.render());
  });
  return router;
}
