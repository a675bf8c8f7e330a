// The product under test, started as main.ts starts it (createTether + parseConfig), with caps and
// registration limits raised for the load and a cheap password hash (argon2's cost is not measured).
// Its modules come from the runtime the parent chose (the TypeScript sources or the compiled build).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Env } from '../../server/config.js';
import type { RuntimeLaunch } from '../launch.js';
import type { RunningServer } from './running.js';

type AppModule = typeof import('../../server/app.js');
type ConfigModule = typeof import('../../server/config.js');
type PasswordsModule = typeof import('../../server/auth/passwords.js');

/** Environment every bench tether gets unless the scenario overrides it. */
export const BENCH_TETHER_ENV: Readonly<Record<string, string>> = {
  MAX_SOCKETS_PER_SESSION: '100000',
  MAX_SOCKETS_PER_USER: '1000000',
  REGISTRATIONS_PER_IP: '1000000',
  LOGIN_FAILURES_PER_IP: '1000000',
  // Every bench client is 127.0.0.1: the per-IP handshake limit would refuse the load itself. The
  // limiter still runs on every handshake, so its cost is measured.
  HANDSHAKES_PER_IP_PER_SECOND: '1000000',
  HANDSHAKE_BURST_PER_IP: '1000000',
  SOCKET_EVENTS_PER_SECOND: '1000000',
  SOCKET_EVENT_BURST: '1000000',
  // The production default: logging cost is part of the product. The child's stdout is discarded.
  LOG_LEVEL: 'info',
};

/**
 * `env.DATA_DIR`, when given, is kept (a restarted node finds its users again); otherwise a
 * temporary one is made and removed at close.
 * @example const server = await startTether(moduleUrls('tsx'), { SESSION_IDLE_TIMEOUT_MS: '5000' });
 */
export async function startTether(modules: RuntimeLaunch['modules'], env: Env = {}, port = 0): Promise<RunningServer> {
  const [{ createTether }, { parseConfig }, { createHasher }] = await Promise.all([
    import(modules.app) as Promise<AppModule>,
    import(modules.config) as Promise<ConfigModule>,
    import(modules.passwords) as Promise<PasswordsModule>,
  ]);
  const ownDir = env.DATA_DIR === undefined;
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'tether-bench-'));
  const config = parseConfig({ ...BENCH_TETHER_ENV, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', ...env });
  // Port 0: the origin is known only after listening, so the allowlist is filled in then.
  const origins = new Set<string>();
  config.allowedOrigins = origins;
  const tether = await createTether({ config, hasher: createHasher({ memoryCost: 1024, timeCost: 1 }), staticDir: join(dataDir, 'no-client') });
  const listening = await tether.listen(port, '127.0.0.1');
  origins.add(`http://127.0.0.1:${listening.port}`);
  return {
    port: listening.port,
    socketCount: () => tether.io.of('/').sockets.size,
    async close() {
      await tether.close();
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
