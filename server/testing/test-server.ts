// Starts a real tether server on port 0 with a temp data dir, for tests of this project and its users.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTether, type Tether, type TetherOptions } from '../app.js';
import { parseConfig, type Config, type Env } from '../config.js';
import type { Clock } from '../sessions/clock.js';
import { createHasher } from '../auth/passwords.js';
import { createLogger } from '../log.js';
import { TestBrowser } from './test-browser.js';

export interface TestServerOptions {
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
}

export interface TestServer {
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
 * @example const server = await startTestServer({ env: { SESSION_IDLE_TIMEOUT_MS: '60000' } });
 *          const alice = server.browser(); ... ; await server.close();
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
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
    hasher: createHasher({ memoryCost: 1024, timeCost: 1 }),
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
