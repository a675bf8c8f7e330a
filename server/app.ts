// Composes the product: Express + Socket.IO on one HTTP server, the session core, routes, sockets.
import { createServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { type Express, type Request } from 'express';
import helmet from 'helmet';
import { Server } from 'socket.io';
import { MAX_SOCKET_FRAME_BYTES, SOCKET_PATH } from '../shared/events.js';
import type { Theme } from '../shared/views/prefs.js';
import type { Config } from './config.js';
import { systemClock, type Clock } from './sessions/index.js';
import { createLogger, requestLogger, type Logger } from './log.js';
import { loadSecrets } from './secrets.js';
import { createStores } from './stores.js';
import { createSessionLifecycle } from './sessions/index.js';
import { apiErrors, apiNotFound, requireJsonBody, tetherExpress, tetherRoutes } from './express/index.js';
import { tetherSocketIO, type TetherServer } from './socketio/index.js';
import { createHasher, type PasswordHasher } from './auth/passwords.js';
import { createUsersRepo } from './auth/users.js';
import { createAuthLimits } from './auth/rate-limits.js';
import { activityHooks } from './auth/route-hooks.js';
import { createActivityRepo } from './activity/repo.js';
import { createActivityRecorder } from './activity/recorder.js';
import { createActivityRoutes } from './activity/routes.js';
import { pageFallback } from './http/page-fallback.js';
import { mountDashboard } from './views/index.js';
import type { TetherParts } from './parts.js';

export type { TetherParts };
import { createMetrics } from './ops/metrics.js';
import { instrumentRegistry, instrumentStore } from './ops/instrument.js';
import { createDrain, type Drain } from './ops/drain.js';
import { gracefulHttpClose } from './ops/http-close.js';
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
  /** Extra wiring by the caller (live views) once the lifecycle and bindings exist. */
  extend?: (parts: TetherParts) => void | Promise<void>;
  /** How long requests in flight at close may still take before their connections are cut (default 10 s). */
  inFlightGraceMs?: number;
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
  const httpServer = createServer(httpTimeouts(config), app);
  const closeHttp = gracefulHttpClose(httpServer, { clock, ...(options.inFlightGraceMs !== undefined ? { graceMs: options.inFlightGraceMs } : {}) });
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
  const timeouts = { idleTimeoutMs: config.idleTimeoutMs, absoluteTimeoutMs: config.absoluteTimeoutMs };
  const lifecycle = createSessionLifecycle({ store: stores.store, registry: stores.registry, clock, log, freshMs: config.freshMs, ...timeouts });
  const cookie = { secrets, secure: config.secureCookies, cookieName: config.cookieName };
  const sessions = tetherExpress(lifecycle, cookie);
  const sockets = tetherSocketIO(io, lifecycle, {
    ...cookie,
    log,
    clustered,
    metrics,
    allowedOrigins: config.allowedOrigins,
    maxSocketsPerSession: config.maxSocketsPerSession,
    maxSocketsPerUser: config.maxSocketsPerUser,
    eventsPerSecond: config.socketLimits.eventsPerSecond,
    eventBurst: config.socketLimits.eventBurst,
    // Before the session handshake: a flood of handshakes never reaches the store. Behind a proxy
    // the client is whoever Express's `trust proxy` says it is, as for HTTP limits.
    handshakeLimit: {
      ratePerSecond: config.socketLimits.handshakesPerIpPerSecond,
      burst: config.socketLimits.handshakeBurstPerIp,
      ...(stores.limits.shared ? { sharedStore: stores.limits.create('handshakes') } : {}),
      ...(config.trustProxy === undefined ? {} : { clientIp: (req: IncomingMessage) => expressIp(app, req) }),
    },
  });

  // Sessions ended by this node (another node's end is counted there).
  lifecycle.on('ended', ({ reason, origin }) => origin === 'here' && metrics.sessionEnded(reason));
  metrics.observe({ sockets: () => io.of('/').sockets.size, sessionsWithSockets: () => lifecycle.stats().sessionsWatched });

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
  api.use(sessions.middleware);
  const users = createUsersRepo(stores.db, clock);
  const hasher = options.hasher ?? createHasher();
  const limits = createAuthLimits(config.rateLimits, stores.limits);
  const activity = createActivityRecorder({ repo: createActivityRepo({ db: stores.db, clock, retentionMs: config.activityRetentionDays * 86_400_000 }), io, lifecycle, clock, log });
  api.use(
    tetherRoutes({
      sessions,
      accounts: users,
      hasher,
      countSockets: sockets.countSockets,
      limits,
      hooks: activityHooks(activity),
      // The page's theme, written by the preferences live view into the session's app data.
      sessionState: (record) => ({ preferences: { theme: themeOf(record?.app.theme) } }),
      log,
    }),
  );
  api.use(createActivityRoutes({ activity }));

  const parts: TetherParts = { app, io, lifecycle, sessions, sockets, stores, config, clock, log, clustered, metrics, activity };
  const dashboard = mountDashboard(parts, users);
  await options.extend?.(parts);
  api.use(apiNotFound);
  app.use('/api', api);

  const staticDir = resolve(options.staticDir ?? join(process.cwd(), 'dist', 'client'));
  const built = existsSync(join(staticDir, 'index.html'));
  if (built) {
    app.use(express.static(staticDir, { index: false, maxAge: '1h', setHeaders: (res, path) => path.endsWith('.html') && res.setHeader('Cache-Control', 'no-cache') }));
  }
  app.use(pageFallback({ indexFile: built ? join(staticDir, 'index.html') : undefined }));
  app.use(apiErrors(log));

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
      // First no new connection, and the requests in flight finish with everything they use still
      // running (lifecycle, pushes, adapter, stores): a sign-in that was checking its password
      // answers as usual, and its pushes reach the user's tabs on the other nodes.
      // `local`: with the Redis adapter a plain disconnectSockets() reaches every node, and one
      // node shutting down (a rolling restart) would drop every tab of the cluster.
      io.local.disconnectSockets(true);
      io.engine.close();
      const cut = await closeHttp();
      if (cut > 0) log.warn({ requests: cut }, 'requests still running when the close grace ran out were cut off');
      dashboard.close();
      activity.close();
      sockets.close();
      lifecycle.close();
      // The adapters (the HTTP server is closed already, which io.close() accepts).
      await new Promise<void>((r) => io.close(() => r()));
      await stores.close();
      metrics.close();
    },
  };
}

/**
 * A request (headers and body) must arrive within HTTP_REQUEST_TIMEOUT_MS, so a slow body cannot
 * hold a connection for Node's default 5 minutes, and its head within HTTP_IDLE_TIMEOUT_MS, so
 * connections that send nothing or half a request line are reaped (Node answers 408 and closes
 * them); a keep-alive connection idle that long between requests is closed too. Node checks these
 * every `connectionsCheckingInterval` (a quarter of the shorter bound, at most a second), so a
 * connection goes at most that much after its bound. None of it touches a response in progress (a
 * long-polling GET waiting for data) or an upgraded WebSocket: both have their complete head.
 */
function httpTimeouts(config: Config): { requestTimeout: number; headersTimeout: number; keepAliveTimeout: number; connectionsCheckingInterval: number } {
  // Node requires headersTimeout <= requestTimeout.
  const headersTimeout = Math.min(config.httpIdleTimeoutMs, config.httpRequestTimeoutMs);
  return {
    requestTimeout: config.httpRequestTimeoutMs,
    headersTimeout,
    keepAliveTimeout: config.httpIdleTimeoutMs,
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(headersTimeout / 4))),
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

/** A theme as stored in the session's app data; anything else is the system's. */
function themeOf(value: unknown): Theme {
  return value === 'light' || value === 'dark' ? value : 'system';
}
