// The last route: the page for a browser's navigation to a page path, 404 JSON for every other unknown path.
import type { Request, RequestHandler } from 'express';
import { sendError } from '../express/index.js';

export interface PageFallbackOptions {
  /** The built page (dist/client/index.html); undefined when no client is built (then every path is 404). */
  indexFile: string | undefined;
}

/**
 * A page path is `/`, or an extension-less path that a browser navigates to (GET or HEAD with
 * `text/html` in Accept): the client routes those itself. Anything else nobody answered (a
 * probe at `/metrics` or `/readyz`, `/foo.txt`, `/x/y.js`, another method) is `404 not_found`, so
 * a health probe or a missing asset never gets a `200` page by accident. Install it after every
 * route and the static files.
 * @example app.use(express.static(dir)); app.use(pageFallback({ indexFile: join(dir, 'index.html') }));
 */
export function pageFallback({ indexFile }: PageFallbackOptions): RequestHandler {
  return (req, res) => {
    if (indexFile !== undefined && isPageNavigation(req)) {
      res.setHeader('Cache-Control', 'no-cache').sendFile(indexFile);
      return;
    }
    sendError(res, 404, 'not_found', `no route ${req.method} ${req.path}`);
  };
}

/** Paths the server owns (the API, the socket endpoint, the probes) are never pages, whatever the Accept header. */
const SERVER_PATHS = /^\/(api|socket\.io|healthz|readyz|metrics)(\/|$)/;

function isPageNavigation(req: Request): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (req.path === '/') return true;
  if (SERVER_PATHS.test(req.path)) return false;
  const lastSegment = req.path.slice(req.path.lastIndexOf('/') + 1);
  if (lastSegment.includes('.')) return false;
  // Explicitly, not via req.accepts: `*/*` (curl, probes, fetch) must not count as a navigation.
  return /(^|,)\s*text\/html\s*(;|,|$)/i.test(req.get('accept') ?? '');
}
