// A reverse proxy for browser tests that forwards HTTP but refuses every WebSocket upgrade, counting both.
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

export interface NoUpgradeProxy {
  /** The proxy's origin, the one the page opens (put it in ALLOWED_ORIGINS). */
  readonly url: string;
  /** Where requests go; set it once the server listens. */
  target: string;
  /** Engine.io long-polling requests forwarded (GET and POST). */
  readonly pollingRequests: number;
  /** WebSocket upgrades asked for (each answered 403, none forwarded). */
  readonly upgradeAttempts: number;
  close(): Promise<void>;
}

/**
 * Starts the proxy on a free port of 127.0.0.1 (as a corporate proxy or load balancer without
 * WebSocket support would: upgrades get `403`, everything else is passed through as it is).
 * @example const proxy = await startNoUpgradeProxy(); const server = await kit.server({ ALLOWED_ORIGINS: proxy.url });
 *          proxy.target = server.url; await page.goto(proxy.url);
 */
export async function startNoUpgradeProxy(): Promise<NoUpgradeProxy> {
  let pollingRequests = 0;
  let upgradeAttempts = 0;
  const state = { target: '' };

  const forward = (req: IncomingMessage, res: ServerResponse): void => {
    if (/^\/socket\.io\/\?.*\btransport=polling\b/.test(req.url ?? '')) pollingRequests += 1;
    const target = new URL(req.url ?? '/', state.target);
    const upstream = request(target, { method: req.method, headers: req.headers, agent: false }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  };
  const server = createServer(forward);
  server.on('upgrade', (_req: IncomingMessage, socket: Duplex) => {
    upgradeAttempts += 1;
    socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    get target() {
      return state.target;
    },
    set target(value: string) {
      state.target = value;
    },
    get pollingRequests() {
      return pollingRequests;
    },
    get upgradeAttempts() {
      return upgradeAttempts;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // long-polling requests in flight would hold close() open
      }),
  };
}
