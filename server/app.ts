// Composes the product: Express + Socket.IO on one HTTP server, the session core, routes, sockets.
import { createServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { type Express, type Request } from 'express';
import helmet from 'helmet';
import { Server } from 'socket.io';
import { MAX_SOCKET_FRAME_BYTES, SOCKET_PATH } from '../shared/events.js';
import type { Config } from './config.js';
import { systemClock, type Clock } from './clock.js';
import { createLogger, requestLogger, type Logger } from './log.js';
import { loadSecrets } from './secrets.js';
import { createStores, type Stores } from './stores.js';
import { createSessionCore, type SessionCore } from './sessions/core.js';
import type { TetherServer } from './sessions/io.js';
import { createHasher, type PasswordHasher } from './auth/passwords.js';
import { createUsersRepo } from './auth/users.js';
import { createAuthLimits } from './auth/rate-limits.js';
import { csrfProtection } from './auth/csrf.js';
import { createAccountRoutes } from './auth/account-routes.js';
import { createSessionsRoutes } from './auth/sessions-routes.js';
import { apiNotFound, errorHandler, requireJsonBody } from './http/errors.js';
import { createSocketRouter, type SocketRouter } from './sockets/router.js';
import { createHandshakeLimit } from './sockets/handshake-limit.js';
import { routeSessionEvents } from './sockets/session-events.js';
import { mountDashboard } from './views/index.js';
import { createMetrics, type Metrics } from './ops/metrics.js';
import { instrumentRegistry, instrumentStore } from './ops/instrument.js';
import { countRefusals } from './ops/hooks.js';
import { createDrain, type Drain } from './ops/drain.js';
import { metricsAccess, opsRoutes } from './ops/routes.js';

export interface TetherOptions {
  config: Config;
  clock?: Clock;
  log?: Logger;
  hasher?: PasswordHasher;
  /** Where the built client is; defaults to dist/client. */
  staticDir?: string;
  /** PostgreSQL schema (tests isolate runs with it). */
  pgSchema?: string;
  /** Extra wiring by the caller (live views) once the core exists. */
  extend?: (parts: TetherParts) => void | Promise<void>;
}

export interface TetherParts {
  app: Express;
  io: TetherServer;
  core: SessionCore;
  router: SocketRouter;
  stores: Stores;
  config: Config;
  clock: Clock;
  log: Logger;
  /** True when the Socket.IO adapter spans several nodes. */
  clustered: boolean;
  metrics: Metrics;
}

export interface Tether extends TetherParts {
  /** The dashboard's live views (runtime stats, for tests and leak checks). */
  live: ReturnType<typeof mountDashboard>['runtime'];
  httpServer: HttpServer;
  /** Readiness and the SIGTERM drain (server/ops/drain.ts). */
  drain: Drain;
  listen(port?: number, host?: string): Promise<{ port: number; url: string }>;
  close(): Promise<void>;
}

/**
 * Builds a server without listening.
 * @example const tether = await createTether({ config: parseConfig(process.env) }); await tether.listen();
 */
export async function createTether(options: TetherOptions): Promise<Tether> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const log = options.log ?? createLogger(config.logLevel);
  const secrets = loadSecrets(config.sessionSecrets, config.dataDir);
  const metrics = createMetrics();
  const stores = await createStores({ config, clock, log, ...(options.pgSchema ? { pgSchema: options.pgSchema } : {}) });
  stores.store = instrumentStore(stores.store, metrics);
  stores.registry = instrumentRegistry(stores.registry, metrics);

  const app = express();
  // A request (headers and body) must arrive within the timeout, so a slow body cannot hold a
  // connection for Node's default 5 minutes; Node answers 408 and closes it. WebSockets are upgraded
  // before this applies. The check runs a few times per timeout (Node's default interval is 30 s).
  const httpServer = createServer(
    {
      requestTimeout: config.httpRequestTimeoutMs,
      headersTimeout: config.httpRequestTimeoutMs,
      connectionsCheckingInterval: Math.max(50, Math.min(30_000, Math.floor(config.httpRequestTimeoutMs / 4))),
    },
    app,
  );
  const io: TetherServer = new Server(httpServer, {
    path: SOCKET_PATH,
    serveClient: false,
    maxHttpBufferSize: MAX_SOCKET_FRAME_BYTES,
    perMessageDeflate: false,
    httpCompression: false,
    connectTimeout: 10_000,
  });
  const clustered = await stores.attachAdapter(io);
  // First of all: a draining node refuses every handshake before it costs anything.
  const drain = createDrain({ io, clock, drainMs: config.drainMs, log, metrics });
  io.use(drain.middleware);
  // Before the session handshake (installed by the core): a flood of handshakes never reaches the store.
  const handshakeLimit = createHandshakeLimit({
    clock,
    log,
    ratePerSecond: config.socketLimits.handshakesPerIpPerSecond,
    burst: config.socketLimits.handshakeBurstPerIp,
    // Behind a proxy the client is whoever Express's `trust proxy` says it is, as for HTTP limits.
    ...(config.trustProxy === undefined ? {} : { clientIp: (req: IncomingMessage) => expressIp(app, req) }),
  });
  io.use(countRefusals(handshakeLimit.middleware, metrics));

  const core = createSessionCore({
    io,
    store: stores.store,
    registry: stores.registry,
    clock,
    log,
    cookieName: config.cookieName,
    secure: config.secureCookies,
    secrets,
    allowedOrigins: config.allowedOrigins,
    idleTimeoutMs: config.idleTimeoutMs,
    absoluteTimeoutMs: config.absoluteTimeoutMs,
    maxSocketsPerSession: config.maxSocketsPerSession,
    maxSocketsPerUser: config.maxSocketsPerUser,
    clustered,
    metrics,
  });
  metrics.observe({ sockets: () => io.of('/').sockets.size, sessionsWithSockets: () => core.timers.size });
  const router = createSocketRouter({ clock, log, isEnded: core.isEnded, ratePerSecond: config.socketLimits.eventsPerSecond, burst: config.socketLimits.eventBurst });
  routeSessionEvents(router, core);
  io.on('connection', (socket) => router.bind(socket));

  if (config.trustProxy !== undefined) app.set('trust proxy', config.trustProxy);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'connect-src': ["'self'"],
          'script-src': ["'self'"],
          'style-src': ["'self'"],
          'img-src': ["'self'", 'data:'],
          // Over plain http (localhost) this would send the browser to https and break the page.
          'upgrade-insecure-requests': config.secureCookies ? [] : null,
        },
      },
      referrerPolicy: { policy: 'same-origin' },
      strictTransportSecurity: config.secureCookies,
    }),
  );

  app.get('/healthz', async (_req, res) => {
    const failing = await stores.failing();
    res.status(failing.length ? 503 : 200).json(failing.length ? { ok: false, failing } : { ok: true });
  });

  app.use(opsRoutes({ drain, metrics, access: metricsAccess(config.publicUrl, config.metricsToken) }));

  const api = express.Router();
  api.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  api.use(requestLogger(log));
  api.use(requireJsonBody);
  api.use(express.json({ limit: '16kb', strict: true }));
  api.use(core.http.middleware, core.activity);
  api.use(csrfProtection(core));
  const users = createUsersRepo(stores.db, clock);
  api.use(createAccountRoutes({ core, users, hasher: options.hasher ?? createHasher(), limits: createAuthLimits(config.rateLimits), log, idleTimeoutMs: config.idleTimeoutMs }));
  api.use(createSessionsRoutes(core));

  const parts: TetherParts = { app, io, core, router, stores, config, clock, log, clustered, metrics };
  const dashboard = mountDashboard(parts, users);
  await options.extend?.(parts);
  api.use(apiNotFound);
  app.use('/api', api);

  const staticDir = resolve(options.staticDir ?? join(process.cwd(), 'dist', 'client'));
  if (existsSync(join(staticDir, 'index.html'))) {
    app.use(express.static(staticDir, { index: false, maxAge: '1h', setHeaders: (res, path) => path.endsWith('.html') && res.setHeader('Cache-Control', 'no-cache') }));
    app.get(/^\/(?!api\/|socket\.io\/|healthz|readyz|metrics).*/, (_req, res) => res.setHeader('Cache-Control', 'no-cache').sendFile(join(staticDir, 'index.html')));
  }
  app.use(errorHandler(log));

  return {
    ...parts,
    httpServer,
    drain,
    listen(port = config.port, host = config.host) {
      return new Promise((resolveListen, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          const address = httpServer.address() as AddressInfo;
          drain.markReady();
          resolveListen({ port: address.port, url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}` });
        });
      });
    },
    live: dashboard.runtime,
    async close() {
      dashboard.close();
      core.close();
      // `local`: with the Redis adapter a plain disconnectSockets() reaches every node, and one
      // node shutting down (a rolling restart) would drop every tab of the cluster.
      io.local.disconnectSockets(true);
      await new Promise<void>((r) => io.close(() => r()));
      httpServer.closeAllConnections();
      await stores.close();
      metrics.close();
    },
  };
}

/** The client address Express would report for this request (`req.ip`, after `trust proxy`). */
function expressIp(app: Express, req: IncomingMessage): string | undefined {
  const view = Object.create(app.request, {
    headers: { value: req.headers },
    socket: { value: req.socket },
    connection: { value: req.socket },
  }) as Request;
  return view.ip;
}
