// Starts the dashboard (this repo's app) on port 0 with a temp data dir, for this project's own tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTether, type Tether, type TetherOptions } from '../../server/app.js';
import { parseConfig, type Config, type Env } from '../../server/config.js';
import type { Clock } from '../../server/sessions/index.js';
import { createHasher, type PasswordHasher } from '../../server/auth/passwords.js';
import { createLogger } from '../../server/log.js';
import { TestBrowser } from '../../server/testing/index.js';

export interface DashboardServerOptions {
  /** Environment as the server would read it (e.g. SESSION_IDLE_TIMEOUT_MS). */
  env?: Env;
  /** Changes applied to the parsed config. */
  config?: Partial<Config>;
  clock?: Clock;
  /** Keeps the data dir between restarts; otherwise a fresh temp dir is removed on close. */
  dataDir?: string;
  extend?: TetherOptions['extend'];
  pgSchema?: string;
  logLevel?: string;
  /** Serve the built client from here (browser tests); by default no page is served. */
  staticDir?: string;
  /** Password hashing (default: argon2id with cheap parameters, to keep suites fast). */
  hasher?: PasswordHasher;
}

export interface DashboardServer {
  url: string;
  origin: string;
  port: number;
  dataDir: string;
  tether: Tether;
  /** A new simulated browser against this server. */
  browser(userAgent?: string): TestBrowser;
  close(): Promise<void>;
}

/**
 * @example const server = await startDashboard({ env: { SESSION_IDLE_TIMEOUT_MS: '60000' } });
 *          const alice = server.browser(); ... ; await server.close();
 */
export async function startDashboard(options: DashboardServerOptions = {}): Promise<DashboardServer> {
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'tether-test-'));
  const config: Config = {
    ...parseConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: options.logLevel ?? 'silent', ...options.env }),
    ...options.config,
  };
  // Port 0: the real origin is known only after listening, so the allowlist is filled in then.
  const origins = new Set(options.env?.ALLOWED_ORIGINS ? config.allowedOrigins : []);
  config.allowedOrigins = origins;
  config.rateLimits = { ...config.rateLimits, registrationsPerIp: options.env?.REGISTRATIONS_PER_IP ? config.rateLimits.registrationsPerIp : 10_000 };
  const tether = await createTether({
    config,
    log: createLogger(config.logLevel),
    // Cheap hashing keeps suites fast; production uses OWASP's argon2id parameters.
    hasher: options.hasher ?? createHasher({ memoryCost: 1024, timeCost: 1 }),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.extend ? { extend: options.extend } : {}),
    ...(options.pgSchema ? { pgSchema: options.pgSchema } : {}),
    staticDir: options.staticDir ?? join(dataDir, 'no-client'),
  });
  const { port } = await tether.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  if (!options.env?.ALLOWED_ORIGINS) {
    origins.add(url);
    origins.add(`http://localhost:${port}`);
  }
  return {
    url,
    origin: url,
    port,
    dataDir,
    tether,
    browser: (userAgent) => new TestBrowser(url, userAgent),
    async close() {
      await tether.close();
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
